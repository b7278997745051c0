// The aggregator: a gate's evaluations in time order plus its policy in, the gate's verdict and the rule that
// decided it out. Pure. Inconclusive never becomes pass; "no data" means what the policy says (fail or hold).
import type { GatePolicy } from '../../cdk8s/environments';
import type { Evaluation } from './evaluator';
import type { Outcome } from './outcomes';

export interface GateVerdict {
  readonly outcome: Outcome;
  /** The rule that decided, as the settings name it: "failureLimit 2", "errorLimit 3", "minSamples 3", "noData hold". */
  readonly rule: string;
  readonly reason: string;
  /** True when a limit was reached: more measurements cannot change the verdict. */
  readonly final: boolean;
  readonly counts: Readonly<Record<Outcome, number>>;
}

/**
 * Streak rules: a pass ends a failure streak; an error or a held "no data" neither extends nor ends it, because
 * neither is evidence about the release. Any answer from the provider (pass, fail, no data) ends an error streak.
 */
export function aggregate(evaluations: readonly Evaluation[], policy: GatePolicy, minSamples: number): GateVerdict {
  const counts: Record<Outcome, number> = { pass: 0, inconclusive: 0, error: 0, fail: 0 };
  let failures = 0;
  let errors = 0;
  for (const e of evaluations) {
    counts[e.outcome] += 1;
    const noDataFails = e.outcome === 'inconclusive' && policy.noData === 'fail';
    if (e.outcome === 'fail' || noDataFails) {
      failures += 1;
      errors = 0;
      if (failures >= policy.failureLimit) {
        const because = noDataFails ? `${e.reason}, which counts as a failure (noData fail)` : e.reason;
        return {
          outcome: 'fail',
          rule: `failureLimit ${policy.failureLimit}`,
          reason: `${failures} consecutive failures; last at ${e.at.toISOString()}: ${because}`,
          final: true,
          counts,
        };
      }
    } else if (e.outcome === 'error') {
      errors += 1;
      if (errors >= policy.errorLimit) {
        return {
          outcome: 'error',
          rule: `errorLimit ${policy.errorLimit}`,
          reason: `${errors} consecutive measurement errors; last: ${e.reason}`,
          final: true,
          counts,
        };
      }
    } else {
      errors = 0;
      if (e.outcome === 'pass') failures = 0;
    }
  }
  const tolerated = [
    counts.fail > 0 ? `${counts.fail} failed below failureLimit ${policy.failureLimit}` : '',
    counts.error > 0 ? `${counts.error} errors below errorLimit ${policy.errorLimit}` : '',
    counts.inconclusive > 0 ? `${counts.inconclusive} without data` : '',
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
  const rule = counts.inconclusive > 0 && policy.noData === 'hold' ? 'noData hold' : `minSamples ${minSamples}`;
  return {
    outcome: 'inconclusive',
    rule,
    reason: `only ${counts.pass} passing measurements of ${minSamples} needed${tail}`,
    final: false,
    counts,
  };
}
