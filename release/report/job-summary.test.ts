import type { GatePolicy } from '../../cdk8s/environments';
import type { ActionResult } from '../actions/action';
import type { VerifyDetail } from '../actions/verify';
import { actionMarkdown } from './job-summary';
import { actionText } from './text-report';

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, s));
const evaluations = (values: (number | null)[], outcome: 'pass' | 'fail') =>
  values.map((value, k) => ({ at: at(k * 20), outcome, value, reason: 'r' }));
const policy: GatePolicy = {
  failureLimit: 2,
  consecutiveFailureLimit: 2,
  inconclusiveLimit: 3,
  consecutiveErrorLimit: 2,
  noData: 'hold',
};
const detail: VerifyDetail = {
  env: 'dev',
  image: 'r.example.com/hello@sha256:' + 'a'.repeat(64),
  release: 'v2',
  revision: 'b'.repeat(40),
  cluster: {
    outcome: 'pass',
    checks: [{ check: 'rollout', outcome: 'pass', detail: 'complete' }],
    polls: 1,
    waitedMs: 0,
    reason: 'ok',
  },
  analysis: {
    outcome: 'fail',
    scope: { namespace: 'hello-dev', release: 'v2' },
    window: '2m',
    interval: '20s',
    minSamples: 3,
    from: at(0),
    to: at(20),
    reason: 'errorRatio: 2 failed measurements in a row',
    gates: [
      {
        gate: 'errorRatio',
        query: 'sum(rate(x{a="1"}[2m])) / sum(rate(y[2m]))',
        threshold: 0.05,
        bound: 'max',
        unit: 'ratio',
        policy,
        evaluations: evaluations([0.2, 0.3], 'fail'),
        verdict: {
          outcome: 'fail',
          rule: 'consecutiveFailureLimit 2',
          reason: '2 failed measurements in a row',
          final: true,
          counts: { pass: 0, fail: 2, inconclusive: 0, error: 0 },
        },
      },
      {
        gate: 'latencyP99',
        query: 'histogram_quantile(0.99, z)',
        threshold: 0.5,
        bound: 'max',
        unit: 's',
        policy,
        evaluations: evaluations([0.05, null], 'pass'),
        verdict: {
          outcome: 'inconclusive',
          rule: 'minSamples 3',
          reason: 'only 1',
          final: false,
          counts: { pass: 1, fail: 0, inconclusive: 1, error: 0 },
        },
      },
    ],
  },
};
const result: ActionResult<VerifyDetail> = {
  action: 'verify',
  outcome: 'fail',
  summary: 'verify dev v2: failed',
  steps: [{ step: 'measure-gates', status: 'succeeded', ms: 1 }],
  detail,
};

test('the job summary tables every gate with its query, values, threshold and rule, and charts error ratio and p99', () => {
  const md = actionMarkdown(result);
  expect(md).toContain(
    '| ❌ | errorRatio | `sum(rate(x{a="1"}[2m])) / sum(rate(y[2m]))` | 0.2, 0.3 | ≤ 0.05 ratio | consecutiveFailureLimit 2: 2 failed measurements in a row |',
  );
  expect(md).toMatch(
    /```mermaid\nxychart-beta\n {2}title "Error ratio \(threshold 0\.05 ratio\)"\n {2}x-axis \["10:00:00", "10:00:20"\]/,
  );
  expect(md).toContain('line [0.2, 0.3]');
  expect(md).toMatch(/title "p99 latency/);
  expect(md).toContain('line [0.05, 0]');
});

test('the terminal report names the deciding rule and the exit code', () => {
  const text = actionText(result);
  expect(text).toMatch(
    /errorRatio\s+fail\s+≤ 0\.05 ratio\s+0\.2✗ 0\.3✗\s+consecutiveFailureLimit 2: 2 failed measurements in a row/,
  );
  expect(text).toContain('errorRatio query: sum(rate(x{a="1"}[2m]))');
  expect(text).toContain('verify: FAIL (exit 1): verify dev v2: failed');
});
