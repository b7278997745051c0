// The evaluator: one measurement and a gate's threshold in, pass / fail / inconclusive / error out. Pure, so the
// same rule judges a recorded history in a test, a live verify in CI and the guard in the cluster.
import type { Measurement } from './measurement';
import type { Outcome } from './outcomes';

/** A gate's threshold and which side of it passes (the shape `gateQueries` builds). */
export interface Threshold {
  readonly threshold: number;
  readonly bound: 'min' | 'max';
}

/** When a value is not evidence: too few samples behind it, or a series that stopped reporting. */
export interface EvidenceRules {
  /** Fewest samples the release's densest series must have in the range for a value to count. */
  readonly minSeriesSamples: number;
  /** Oldest the release's newest sample may be, in seconds, before the series counts as stale. */
  readonly maxSampleAgeSeconds: number;
}

/** Why a measurement was inconclusive; every kind is "no data" as far as a gate's policy goes. */
export type InconclusiveKind = 'no-data' | 'not-a-number' | 'too-few-samples' | 'stale';

export interface Evaluation {
  readonly at: Date;
  readonly outcome: Outcome;
  /** The measured value; null when there was none (no data, error). */
  readonly value: number | null;
  readonly reason: string;
  readonly inconclusive?: InconclusiveKind;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4).replace(/\.?0+$/, '');
}

export function evaluate(m: Measurement, gate: Threshold, rules: EvidenceRules): Evaluation {
  const at = m.at;
  if (m.kind === 'error') return { at, outcome: 'error', value: null, reason: `measurement error: ${m.error}` };
  if (m.kind === 'no-data')
    return {
      at,
      outcome: 'inconclusive',
      value: null,
      reason: 'no data: the query returned no series',
      inconclusive: 'no-data',
    };
  if (!Number.isFinite(m.value)) {
    return {
      at,
      outcome: 'inconclusive',
      value: null,
      reason: `no data: the query returned ${m.value}`,
      inconclusive: 'not-a-number',
    };
  }
  const value = m.value;
  if (m.evidence) {
    const { samples, newestSampleAgeSeconds: age } = m.evidence;
    if (samples < rules.minSeriesSamples) {
      return {
        at,
        outcome: 'inconclusive',
        value,
        reason: `too few samples: ${samples} < ${rules.minSeriesSamples}`,
        inconclusive: 'too-few-samples',
      };
    }
    if (age === undefined || age > rules.maxSampleAgeSeconds) {
      const seen = age === undefined ? 'no recent sample' : `newest sample ${formatNumber(age)}s old`;
      return {
        at,
        outcome: 'inconclusive',
        value,
        reason: `stale series: ${seen} (limit ${rules.maxSampleAgeSeconds}s)`,
        inconclusive: 'stale',
      };
    }
  }
  const passes = gate.bound === 'min' ? value >= gate.threshold : value <= gate.threshold;
  const op = gate.bound === 'min' ? (passes ? '≥' : '<') : passes ? '≤' : '>';
  return {
    at,
    outcome: passes ? 'pass' : 'fail',
    value,
    reason: `${formatNumber(value)} ${op} ${formatNumber(gate.threshold)}`,
  };
}

export { formatNumber };
