import { gatePolicySchema, type GatePolicy } from '../../cdk8s/environments';
import { ruleTable } from '../../test/support/rule-table';
import { aggregate } from './aggregator';
import type { Evaluation } from './evaluator';
import type { Outcome } from './outcomes';

/** A series written as letters: p pass, f fail, i inconclusive (no data), e error. */
function series(s: string): Evaluation[] {
  const byLetter: Record<string, Outcome> = { p: 'pass', f: 'fail', i: 'inconclusive', e: 'error' };
  return [...s].map((c, k) => ({
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, k * 20)),
    outcome: byLetter[c]!,
    value: null,
    reason: c,
  }));
}

// Fixtures of this table's own (not the environments' settings): limits small enough to read a row at a glance.
const total: GatePolicy = { failureLimit: 2, inconclusiveLimit: 3, consecutiveErrorLimit: 2, noData: 'hold' };
const withStreak: GatePolicy = { ...total, consecutiveFailureLimit: 2 };
const failOnNoData: GatePolicy = { ...total, failureLimit: 1, noData: 'fail' };
/** What an AnalysisTemplate metric gets when it sets nothing: failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4. */
const argoDefaults: GatePolicy = gatePolicySchema.parse({ noData: 'hold' });

interface Row {
  name: string;
  s: string;
  policy: GatePolicy;
  minSamples: number;
  outcome: Outcome;
  rule: string;
  /** Decided by a limit, so more measurements cannot change it. */
  final: boolean;
}

ruleTable<Row>(
  'a gate verdict from its series',
  [
    {
      name: 'enough passes pass',
      s: 'ppp',
      policy: total,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
      final: false,
    },
    {
      name: 'alternating fail/pass fails once the failures in total exceed failureLimit',
      s: 'fpfpfp',
      policy: total,
      minSamples: 3,
      outcome: 'fail',
      rule: 'failureLimit 2',
      final: true,
    },
    {
      name: 'failures up to failureLimit in total are tolerated',
      s: 'pfpfpp',
      policy: total,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
      final: false,
    },
    {
      name: 'a single blip passes',
      s: 'ppfpp',
      policy: withStreak,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
      final: false,
    },
    {
      name: 'a streak fails early, before the total is spent',
      s: 'pff',
      policy: withStreak,
      minSamples: 3,
      outcome: 'fail',
      rule: 'consecutiveFailureLimit 2',
      final: true,
    },
    {
      name: 'failures broken by a pass are no streak',
      s: 'fpf',
      policy: withStreak,
      minSamples: 1,
      outcome: 'pass',
      rule: 'minSamples 1',
      final: false,
    },
    {
      name: 'an error between failures neither breaks nor extends the streak',
      s: 'pfef',
      policy: withStreak,
      minSamples: 1,
      outcome: 'fail',
      rule: 'consecutiveFailureLimit 2',
      final: true,
    },
    {
      name: 'no data held between failures neither breaks nor extends the streak',
      s: 'pfif',
      policy: withStreak,
      minSamples: 1,
      outcome: 'fail',
      rule: 'consecutiveFailureLimit 2',
      final: true,
    },
    {
      name: "Argo's default failureLimit 0: a single failure fails",
      s: 'pppf',
      policy: argoDefaults,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 0',
      final: true,
    },
    {
      name: 'errors beyond consecutiveErrorLimit in a row make the gate undecidable',
      s: 'peee',
      policy: total,
      minSamples: 1,
      outcome: 'error',
      rule: 'consecutiveErrorLimit 2',
      final: true,
    },
    {
      name: 'errors broken by an answer do not add up',
      s: 'eepeepp',
      policy: total,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
      final: false,
    },
    {
      name: "Argo's default consecutiveErrorLimit 4: four errors in a row are tolerated",
      s: 'eeeep',
      policy: argoDefaults,
      minSamples: 1,
      outcome: 'pass',
      rule: 'minSamples 1',
      final: false,
    },
    {
      name: "Argo's default consecutiveErrorLimit 4: the fifth error in a row decides",
      s: 'peeeee',
      policy: argoDefaults,
      minSamples: 1,
      outcome: 'error',
      rule: 'consecutiveErrorLimit 4',
      final: true,
    },
    {
      name: 'no data held never becomes pass',
      s: 'iii',
      policy: total,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'noData hold',
      final: false,
    },
    {
      name: 'no data held beyond inconclusiveLimit makes the gate inconclusive for good',
      s: 'piiii',
      policy: total,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'inconclusiveLimit 3',
      final: true,
    },
    {
      name: "Argo's default inconclusiveLimit 0: one measurement without data makes the gate inconclusive",
      s: 'ppip',
      policy: argoDefaults,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'inconclusiveLimit 0',
      final: true,
    },
    {
      name: 'no data held between passes leaves too few passes',
      s: 'pipi',
      policy: total,
      minSamples: 3,
      outcome: 'inconclusive',
      rule: 'noData hold',
      final: false,
    },
    {
      name: 'no data counts as a failed measurement when the policy says fail',
      s: 'pii',
      policy: failOnNoData,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 1',
      final: true,
    },
    {
      name: 'too few measurements are inconclusive',
      s: 'pp',
      policy: total,
      minSamples: 3,
      outcome: 'inconclusive',
      rule: 'minSamples 3',
      final: false,
    },
    {
      name: 'an empty series is inconclusive',
      s: '',
      policy: total,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'minSamples 1',
      final: false,
    },
    {
      name: 'the first limit exceeded decides: failures before errors',
      s: 'fffeee',
      policy: total,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 2',
      final: true,
    },
  ],
  ({ s, policy, minSamples, outcome, rule, final }) => {
    const v = aggregate(series(s), policy, minSamples);
    expect({ outcome: v.outcome, rule: v.rule, final: v.final }).toEqual({ outcome, rule, final });
    expect(v.reason.length).toBeGreaterThan(0);
  },
);

test('the reason of a failure on the total counts the failures against the limit', () => {
  expect(aggregate(series('fpfpf'), total, 3).reason).toMatch(
    /^3 failed measurements, more than the 2 allowed; last at /,
  );
});

ruleTable<{ name: string; policy: unknown; error: RegExp }>(
  'gate policies that cannot mean anything are rejected',
  [
    {
      name: 'a streak longer than the total allows',
      policy: { failureLimit: 1, consecutiveFailureLimit: 3, noData: 'hold' },
      error: /'consecutiveFailureLimit' must not exceed 'failureLimit'/,
    },
    {
      name: "the old 'errorLimit' is refused by name rather than silently ignored",
      policy: { failureLimit: 1, errorLimit: 3, noData: 'hold' },
      error: /errorLimit/,
    },
    { name: 'a negative failureLimit', policy: { failureLimit: -1, noData: 'hold' }, error: /failureLimit/ },
  ],
  ({ policy, error }) => {
    const result = gatePolicySchema.safeParse(policy);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(error);
  },
);
