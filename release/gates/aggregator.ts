// The aggregator: a gate's evaluations in time order plus its policy in, the gate's verdict and the rule that
// decided it out. Pure. Inconclusive never becomes pass; "no data" means what the policy says (fail or hold).
import type { GatePolicy } from '../../cdk8s/environments';
import type { Evaluation } from './evaluator';
import type { Outcome } from './outcomes';

export interface GateVerdict {
  readonly outcome: Outcome;
  /**
   * The rule that decided, as the settings name it: "failureLimit 2", "consecutiveFailureLimit 2",
   * "inconclusiveLimit 3", "consecutiveErrorLimit 4", "minSamples 3", "noData hold".
   */
  readonly rule: string;
  readonly reason: string;
  /** True when a limit was exceeded: more measurements cannot change the verdict. */
  readonly final: boolean;
  readonly counts: Readonly<Record<Outcome, number>>;
}

/**
 * Argo Rollouts' counting (analysis/analysis.go, assessMetricStatus): failed measurements beyond `failureLimit` in
 * total fail the gate; measurements without data beyond `inconclusiveLimit` make it inconclusive; errors in a row
 * beyond `consecutiveErrorLimit` make it undecidable. Any answer from the provider (pass, fail, no data) ends an
 * error streak, as in Argo. Ours on top: `consecutiveFailureLimit` failed measurements in a row fail at once; a pass
 * ends such a streak, while an error or a held "no data" neither extends nor ends it (neither is evidence about the
 * release). With `noData: fail` a measurement without data is a failed one.
 */
export function aggregate(evaluations: readonly Evaluation[], policy: GatePolicy, minSamples: number): GateVerdict {
  const counts: Record<Outcome, number> = { pass: 0, inconclusive: 0, error: 0, fail: 0 };
  let failed = 0;
  let streak = 0;
  let held = 0;
  let errors = 0;
  const decided = (outcome: Outcome, rule: string, reason: string): GateVerdict => ({
    outcome,
    rule,
    reason,
    final: true,
    counts,
  });
  for (const e of evaluations) {
    counts[e.outcome] += 1;
    const noDataFails = e.outcome === 'inconclusive' && policy.noData === 'fail';
    if (e.outcome === 'fail' || noDataFails) {
      failed += 1;
      streak += 1;
      errors = 0;
      const last = `last at ${e.at.toISOString()}: ${noDataFails ? `${e.reason}, which counts as a failure (noData fail)` : e.reason}`;
      if (failed > policy.failureLimit)
        return decided(
          'fail',
          `failureLimit ${policy.failureLimit}`,
          `${failed} failed measurements, more than the ${policy.failureLimit} allowed; ${last}`,
        );
      if (policy.consecutiveFailureLimit !== undefined && streak >= policy.consecutiveFailureLimit)
        return decided(
          'fail',
          `consecutiveFailureLimit ${policy.consecutiveFailureLimit}`,
          `${streak} failed measurements in a row; ${last}`,
        );
    } else if (e.outcome === 'error') {
      errors += 1;
      if (errors > policy.consecutiveErrorLimit)
        return decided(
          'error',
          `consecutiveErrorLimit ${policy.consecutiveErrorLimit}`,
          `${errors} measurement errors in a row, more than the ${policy.consecutiveErrorLimit} allowed; last: ${e.reason}`,
        );
    } else if (e.outcome === 'inconclusive') {
      errors = 0;
      held += 1;
      if (held > policy.inconclusiveLimit)
        return decided(
          'inconclusive',
          `inconclusiveLimit ${policy.inconclusiveLimit}`,
          `${held} measurements without data, more than the ${policy.inconclusiveLimit} allowed (noData hold); last: ${e.reason}`,
        );
    } else {
      errors = 0;
      streak = 0;
    }
  }
  const tolerated = [
    failed > 0 ? `${failed} failed within failureLimit ${policy.failureLimit}` : '',
    counts.error > 0 ? `${counts.error} errors within consecutiveErrorLimit ${policy.consecutiveErrorLimit}` : '',
    held > 0 ? `${held} without data within inconclusiveLimit ${policy.inconclusiveLimit}` : '',
  ].filter(Boolean);
  const tail = tolerated.length ? ` (${tolerated.join(', ')})` : '';
  if (counts.pass >= minSamples) {
    return {
      outcome: 'pass',
      rule: `minSamples ${minSamples}`,
      reason: `${counts.pass} of ${evaluations.length} measurements passed${tail}`,
      final: false,
      counts,
    };
  }
  const rule = held > 0 ? 'noData hold' : `minSamples ${minSamples}`;
  return {
    outcome: 'inconclusive',
    rule,
    reason: `only ${counts.pass} passing measurements of ${minSamples} needed${tail}`,
    final: false,
    counts,
  };
}
