import type { GatePolicy } from '../../cdk8s/environments';
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

const hold: GatePolicy = { failureLimit: 2, errorLimit: 3, noData: 'hold' };
const failOnNoData: GatePolicy = { ...hold, noData: 'fail' };

ruleTable<{ name: string; s: string; policy: GatePolicy; minSamples: number; outcome: Outcome; rule: string }>(
  'a gate verdict from its series',
  [
    { name: 'enough passes pass', s: 'ppp', policy: hold, minSamples: 3, outcome: 'pass', rule: 'minSamples 3' },
    {
      name: 'one failure below the limit is tolerated',
      s: 'pfpp',
      policy: hold,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
    },
    {
      name: 'failures reaching the limit in a row fail',
      s: 'pffp',
      policy: hold,
      minSamples: 3,
      outcome: 'fail',
      rule: 'failureLimit 2',
    },
    {
      name: 'failures broken by a pass do not add up',
      s: 'fpfpfp',
      policy: hold,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
    },
    {
      name: 'an error between failures does not break the streak',
      s: 'pfef',
      policy: hold,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 2',
    },
    {
      name: 'errors reaching the limit in a row make the gate undecidable',
      s: 'peee',
      policy: hold,
      minSamples: 1,
      outcome: 'error',
      rule: 'errorLimit 3',
    },
    {
      name: 'errors broken by an answer do not add up',
      s: 'eepeepp',
      policy: hold,
      minSamples: 3,
      outcome: 'pass',
      rule: 'minSamples 3',
    },
    {
      name: 'no data held never becomes pass',
      s: 'iiii',
      policy: hold,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'noData hold',
    },
    {
      name: 'no data held between passes leaves too few passes',
      s: 'pipi',
      policy: hold,
      minSamples: 3,
      outcome: 'inconclusive',
      rule: 'noData hold',
    },
    {
      name: 'no data counts as failure when the policy says fail',
      s: 'pii',
      policy: failOnNoData,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 2',
    },
    {
      name: 'too few measurements are inconclusive',
      s: 'pp',
      policy: hold,
      minSamples: 3,
      outcome: 'inconclusive',
      rule: 'minSamples 3',
    },
    {
      name: 'an empty series is inconclusive',
      s: '',
      policy: hold,
      minSamples: 1,
      outcome: 'inconclusive',
      rule: 'minSamples 1',
    },
    {
      name: 'the first limit reached decides: failures before errors',
      s: 'ffeee',
      policy: hold,
      minSamples: 1,
      outcome: 'fail',
      rule: 'failureLimit 2',
    },
  ],
  ({ s, policy, minSamples, outcome, rule }) => {
    const v = aggregate(series(s), policy, minSamples);
    expect({ outcome: v.outcome, rule: v.rule }).toEqual({ outcome, rule });
    expect(v.reason.length).toBeGreaterThan(0);
  },
);
