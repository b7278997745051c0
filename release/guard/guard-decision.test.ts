import { ENVIRONMENTS } from '../../cdk8s/environments';
import type { ReleaseRecord } from '../../cdk8s/release-record';
import { scriptedProvider, type GateScript } from '../../test/guard/scripted-metrics';
import { image, record } from '../../test/release/fixtures';
import { ruleTable } from '../../test/support/rule-table';
import type { ClusterState } from '../cluster/cluster-state';
import { analyse, type Clock } from '../gates/analysis';
import type { Outcome } from '../gates/outcomes';
import {
  judge,
  liveRelease,
  nextStreak,
  rollbackTarget,
  type GuardVerdict,
  type HoldCause,
  type Judgement,
  type Streak,
} from './guard-decision';
import { parseReleasePolicySpec } from '../../cdk8s/release-policy';
import { releasePolicySpec } from '../../cdk8s/release-policy-manifests';
import { policySlo } from './guard-settings';

const v1 = image('v1');
const v2 = image('v2');

// dev's SLO as the guard judges it: six measurements (2m window, every 20s), traffic fails after 3 in a row, the
// error ratio and latency after 2, 3 passes needed.
const slo = policySlo(ENVIRONMENTS.dev.slo, parseReleasePolicySpec(releasePolicySpec(ENVIRONMENTS.dev), 'dev'));
const scope = { namespace: ENVIRONMENTS.dev.namespace, release: 'v2' };
const frozenAt = (ms: number): Clock => {
  let now = ms;
  return { now: () => new Date(now), sleep: async (d) => void (now += d) };
};

/** The letters: p passing, f failing, - no data, e Prometheus error; traffic 'f' is a quiet period (below the minimum). */
ruleTable<{
  name: string;
  script: GateScript;
  engine: Outcome;
  verdict: Judgement['verdict'];
  hold?: HoldCause;
  gate?: string;
  reason: RegExp;
}>(
  'the guard reads one analysis: only a measured breach with enough traffic counts',
  [
    {
      name: 'busy and within the SLO is healthy',
      script: { traffic: 'pppppp', errorRatio: 'pppppp', latencyP99: 'pppppp' },
      engine: 'pass',
      verdict: 'healthy',
      reason: /^traffic: 6 of 6 measurements passed/,
    },
    {
      name: 'a quiet night holds, though the traffic gate fails (verify still fails it)',
      script: { traffic: 'ffffff', errorRatio: 'pppppp', latencyP99: 'pppppp' },
      engine: 'fail',
      verdict: 'held',
      hold: 'low-traffic',
      reason:
        /^too little traffic to judge \(below the 0\.1 req\/s minimum\): traffic: 3 failed measurements, more than the 2 allowed.*\(failureLimit 2\)$/,
    },
    {
      name: 'a quiet night whose few requests failed holds: too little evidence',
      script: { traffic: 'ffffff', errorRatio: 'ffffff', latencyP99: 'ffffff' },
      engine: 'fail',
      verdict: 'held',
      hold: 'low-traffic',
      reason:
        /^too little traffic to judge .* at 2 of 2 measurements: errorRatio: only 0 passing measurements of 3 needed \(2 without data within inconclusiveLimit 3\)/,
    },
    {
      name: 'errors measured only while traffic dipped below the minimum hold',
      script: { traffic: 'pffppp', errorRatio: 'pffppp', latencyP99: 'pppppp' },
      engine: 'fail',
      verdict: 'held',
      hold: 'low-traffic',
      reason: /at 2 of 3 measurements/,
    },
    {
      name: 'an error ratio over the limit with enough traffic is a breach',
      script: { traffic: 'pppppp', errorRatio: 'ffffff', latencyP99: 'pppppp' },
      engine: 'fail',
      verdict: 'breach',
      gate: 'errorRatio',
      reason: /^errorRatio: 2 failed measurements in a row.*\(consecutiveFailureLimit 2\)$/,
    },
    {
      name: 'a p99 latency over the limit with enough traffic is a breach',
      script: { traffic: 'pppppp', errorRatio: 'pppppp', latencyP99: 'ffffff' },
      engine: 'fail',
      verdict: 'breach',
      gate: 'latencyP99',
      reason: /^latencyP99: 2 failed measurements in a row/,
    },
    {
      name: 'a breach after a quiet dip still counts: the dip is set aside, not the breach',
      script: { traffic: 'pfpppp', errorRatio: 'pfpffp', latencyP99: 'pppppp' },
      engine: 'fail',
      verdict: 'breach',
      gate: 'errorRatio',
      reason: /^errorRatio: 2 failed measurements in a row/,
    },
    {
      name: 'a quiet measurement between two failures neither breaks nor extends the streak',
      script: { traffic: 'ppfppp', errorRatio: 'pffppp', latencyP99: 'pppppp' },
      engine: 'fail',
      verdict: 'held',
      hold: 'low-traffic',
      reason: /at 1 of 3 measurements: errorRatio: only 1 passing/,
    },
    {
      name: 'Prometheus unreachable holds, naming the error',
      script: { traffic: 'eeeeee', errorRatio: 'eeeeee', latencyP99: 'eeeeee' },
      engine: 'error',
      verdict: 'held',
      hold: 'metrics-error',
      reason: /unreachable.*\(consecutiveErrorLimit 2\)$/,
    },
    {
      name: 'no series for the release holds as no data',
      script: { traffic: '------', errorRatio: '------', latencyP99: '------' },
      engine: 'inconclusive',
      verdict: 'held',
      hold: 'no-data',
      reason: /4 measurements without data, more than the 3 allowed \(noData hold\).*\(inconclusiveLimit 3\)$/,
    },
    {
      name: 'a latency breach outranks Prometheus errors on another gate',
      script: { traffic: 'pppppp', errorRatio: 'eeeeee', latencyP99: 'ffffff' },
      engine: 'fail',
      verdict: 'breach',
      gate: 'latencyP99',
      reason: /^latencyP99/,
    },
  ],
  async (row) => {
    const now = Date.parse('2025-01-02T00:00:00Z');
    const report = await analyse({
      scope,
      slo,
      liveSince: new Date(now - 3_600_000),
      provider: scriptedProvider(slo, scope, row.script),
      ingestDelayMs: 0,
      clock: frozenAt(now),
    });
    // `verify` keeps the engine's verdict; only the guard reads it differently.
    expect(report.outcome).toBe(row.engine);
    const j = judge(report);
    expect({
      verdict: j.verdict,
      hold: j.verdict === 'held' ? j.hold : undefined,
      gate: j.verdict === 'breach' ? j.gate : undefined,
    }).toEqual({ verdict: row.verdict, hold: row.hold, gate: row.gate });
    expect(j.reason).toMatch(row.reason);
  },
);

ruleTable<{
  name: string;
  previous?: Streak;
  image: string;
  judged: Judgement['verdict'];
  verdict: GuardVerdict;
  failures: number;
  rollback: boolean;
}>(
  'what one judged evaluation does to the streak (limit 2)',
  [
    {
      name: 'a first breach is not yet a rollback',
      image: v2,
      judged: 'breach',
      verdict: 'breach',
      failures: 1,
      rollback: false,
    },
    {
      name: 'the second breach in a row rolls back',
      previous: { image: v2, failures: 1 },
      image: v2,
      judged: 'breach',
      verdict: 'breach',
      failures: 2,
      rollback: true,
    },
    {
      name: 'a healthy evaluation ends the streak',
      previous: { image: v2, failures: 1 },
      image: v2,
      judged: 'healthy',
      verdict: 'healthy',
      failures: 0,
      rollback: false,
    },
    {
      name: 'a hold (quiet period, no data, Prometheus errors) neither grows nor ends the streak',
      previous: { image: v2, failures: 1 },
      image: v2,
      judged: 'held',
      verdict: 'held',
      failures: 1,
      rollback: false,
    },
    {
      name: 'holds never roll back, however many',
      previous: { image: v2, failures: 5 },
      image: v2,
      judged: 'held',
      verdict: 'held',
      failures: 5,
      rollback: false,
    },
    {
      name: 'a release changed since the last evaluation starts from zero',
      previous: { image: v1, failures: 1 },
      image: v2,
      judged: 'breach',
      verdict: 'breach',
      failures: 1,
      rollback: false,
    },
  ],
  (row) => {
    const step = nextStreak(row.previous, row.image, row.judged, 2);
    expect({ verdict: step.verdict, failures: step.streak.failures, rollback: step.rollback }).toEqual({
      verdict: row.verdict,
      failures: row.failures,
      rollback: row.rollback,
    });
  },
);

const app = {
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  operation: { phase: 'Succeeded', finishedAt: '2025-01-01T00:05:00Z' },
};
const rollout = {
  generation: 3,
  observedGeneration: 3,
  desired: 2,
  total: 2,
  updated: 2,
  ready: 2,
  available: 2,
  images: [v2],
};
const state = (over: Partial<ClusterState> = {}): ClusterState => ({
  application: app,
  deployment: rollout,
  pods: [],
  ...over,
});

ruleTable<{ name: string; record: ReleaseRecord; state: ClusterState; live: string }>(
  'whether the recorded release is live in the cluster',
  [
    {
      name: 'the recorded image fully rolled out is live since Argo CD applied it',
      record: record('dev', v2, v1),
      state: state(),
      live: 'live 2025-01-01T00:05:00.000Z',
    },
    {
      name: 'a Deployment still on the old image is not applied yet',
      record: record('dev', v2, v1),
      state: state({ deployment: { ...rollout, images: [v1] } }),
      live: 'wait: .*not applied yet',
    },
    {
      name: 'a rollout in progress waits',
      record: record('dev', v2, v1),
      state: state({ deployment: { ...rollout, updated: 1 } }),
      live: 'wait: rollout .* in progress',
    },
    {
      name: 'an Argo CD operation running (a rollback being applied) waits',
      record: record('dev', v2, v1),
      state: state({ application: { ...app, operation: { phase: 'Running' } } }),
      live: 'wait: Argo CD is applying',
    },
    {
      name: 'no Application waits',
      record: record('dev', v2, v1),
      state: state({ application: undefined }),
      live: 'wait: the Argo CD Application',
    },
    { name: 'nothing deployed waits', record: record('dev'), state: state(), live: 'wait: nothing is deployed' },
  ],
  (row) => {
    const l = liveRelease(row.record, row.state);
    expect(l.kind === 'live' ? `live ${l.since.toISOString()}` : `wait: ${l.reason}`).toMatch(
      new RegExp(`^${row.live}`),
    );
  },
);

test('a rollback restores the newest verified image that is neither running nor bad', () => {
  const r = record('prod', v2, v2);
  const withOlder: ReleaseRecord = {
    ...r,
    history: [
      { at: '2024-12-01T00:00:00.000Z', action: 'verify', image: v1, release: 'v1', outcome: 'passed' },
      ...r.history,
    ],
  };
  expect(rollbackTarget(withOlder)).toBe(v1);
  expect(
    rollbackTarget({ ...withOlder, bad: [{ image: v1, at: '2025-01-01T00:00:00.000Z', reason: 'bad' }] }),
  ).toBeUndefined();
  expect(rollbackTarget(record('dev', v2))).toBeUndefined();
});
