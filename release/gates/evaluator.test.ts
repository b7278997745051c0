import { ruleTable } from '../../test/support/rule-table';
import { evaluate, type Threshold } from './evaluator';
import type { Measurement } from './measurement';
import type { Outcome } from './outcomes';

const at = new Date('2025-01-01T00:00:00Z');
const rules = { minSeriesSamples: 3, maxSampleAgeSeconds: 40 };
const fresh = { samples: 10, newestSampleAgeSeconds: 5 };
const max: Threshold = { threshold: 0.05, bound: 'max' };
const min: Threshold = { threshold: 1, bound: 'min' };

ruleTable<{ name: string; m: Measurement; gate: Threshold; outcome: Outcome; reason: RegExp }>(
  'one measurement against a threshold',
  [
    {
      name: 'a value at the maximum passes',
      m: { kind: 'value', at, value: 0.05, evidence: fresh },
      gate: max,
      outcome: 'pass',
      reason: /0\.05 ≤ 0\.05/,
    },
    {
      name: 'a value above the maximum fails',
      m: { kind: 'value', at, value: 0.2, evidence: fresh },
      gate: max,
      outcome: 'fail',
      reason: /0\.2 > 0\.05/,
    },
    {
      name: 'a value at the minimum passes',
      m: { kind: 'value', at, value: 1, evidence: fresh },
      gate: min,
      outcome: 'pass',
      reason: /1 ≥ 1/,
    },
    {
      name: 'a value below the minimum fails',
      m: { kind: 'value', at, value: 0.5, evidence: fresh },
      gate: min,
      outcome: 'fail',
      reason: /0\.5 < 1/,
    },
    {
      name: 'an empty result is inconclusive, never pass',
      m: { kind: 'no-data', at },
      gate: max,
      outcome: 'inconclusive',
      reason: /no data/,
    },
    {
      name: 'NaN (0/0, no traffic) is inconclusive',
      m: { kind: 'value', at, value: NaN, evidence: fresh },
      gate: max,
      outcome: 'inconclusive',
      reason: /NaN/,
    },
    {
      name: '+Inf (histogram overflow) is inconclusive',
      m: { kind: 'value', at, value: Infinity, evidence: fresh },
      gate: max,
      outcome: 'inconclusive',
      reason: /Infinity/,
    },
    {
      name: 'too few samples behind a passing value are inconclusive',
      m: { kind: 'value', at, value: 0, evidence: { samples: 2, newestSampleAgeSeconds: 1 } },
      gate: max,
      outcome: 'inconclusive',
      reason: /too few samples: 2 < 3/,
    },
    {
      name: 'a stale series is inconclusive even when the value passes',
      m: { kind: 'value', at, value: 0, evidence: { samples: 9, newestSampleAgeSeconds: 90 } },
      gate: max,
      outcome: 'inconclusive',
      reason: /stale series: newest sample 90s old/,
    },
    {
      name: 'a series with no recent sample is stale',
      m: { kind: 'value', at, value: 0, evidence: { samples: 9 } },
      gate: max,
      outcome: 'inconclusive',
      reason: /no recent sample/,
    },
    {
      name: 'a query error is an error measurement',
      m: { kind: 'error', at, error: 'connect ECONNREFUSED' },
      gate: max,
      outcome: 'error',
      reason: /ECONNREFUSED/,
    },
    {
      name: 'a failing value with too few samples is not evidence either',
      m: { kind: 'value', at, value: 0.9, evidence: { samples: 1, newestSampleAgeSeconds: 1 } },
      gate: max,
      outcome: 'inconclusive',
      reason: /too few/,
    },
  ],
  ({ m, gate, outcome, reason }) => {
    const e = evaluate(m, gate, rules);
    expect(e.outcome).toBe(outcome);
    expect(e.reason).toMatch(reason);
  },
);
