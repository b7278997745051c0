// A ReleasePolicy's status from what one reconcile saw, as a pure function: conditions after the Kubernetes API
// conventions (a condition's lastTransitionTime moves only when its status does), one verdict word for `kubectl get`
// and Argo CD, the live release, the last evaluation's gates and the last rollback.
import {
  CONDITION_TYPES,
  type Condition,
  type ConditionType,
  type GateStatus,
  type ReleasePolicyStatus,
  type Verdict,
} from '../../cdk8s/release-policy';
import type { HoldCause } from './guard-decision';
import type { ReconcileResult } from './reconcile';

/** What one reconcile of the policy's environment saw, in the terms the status reports. */
export interface Observation {
  readonly verdict: 'skipped' | 'healthy' | 'held' | 'breach';
  readonly reason: string;
  readonly hold?: HoldCause;
  /** True when the release is live but still inside its analysis window. */
  readonly inWindow?: boolean;
  readonly image?: string;
  readonly release?: string;
  readonly since?: Date;
  readonly lastVerifiedImage?: string;
  readonly failures?: number;
  readonly gates?: readonly GateStatus[];
  readonly rollback?: {
    readonly image: string;
    readonly to?: string;
    /** The pushed commit; absent when the rollback was not done. */
    readonly commit?: string;
    readonly reason: string;
    readonly summary: string;
  };
}

const HOLD_REASONS: Record<HoldCause, string> = {
  'low-traffic': 'LowTraffic',
  'no-data': 'NoData',
  'metrics-error': 'MetricsError',
  'read-error': 'ReadError',
};

type ConditionChange = Pick<Condition, 'status' | 'reason' | 'message'>;

/** Sets one condition; its lastTransitionTime changes only when its status changes (meta.SetStatusCondition). */
export function setCondition(
  conditions: readonly Condition[],
  type: ConditionType,
  change: ConditionChange,
  now: Date,
  generation: number,
): Condition[] {
  const previous = conditions.find((c) => c.type === type);
  const next: Condition = {
    type,
    ...change,
    lastTransitionTime: previous && previous.status === change.status ? previous.lastTransitionTime : now.toISOString(),
    observedGeneration: generation,
  };
  return [...conditions.filter((c) => c.type !== type), next];
}

function verdictOf(conditions: readonly Condition[]): Verdict {
  const holds = (t: ConditionType) => conditions.some((c) => c.type === t && c.status === 'True');
  if (holds('RolledBack')) return 'RolledBack';
  if (holds('Breaching')) return 'Breaching';
  if (holds('Holding')) return 'Holding';
  if (holds('Healthy')) return 'Healthy';
  return 'Progressing';
}

/** The condition changes one observation makes, besides Ready. */
function changes(
  previous: ReleasePolicyStatus | undefined,
  o: Observation,
): Partial<Record<ConditionType, ConditionChange>> {
  const release = o.release ?? 'the release';
  const notBreaching = { status: 'False', reason: 'WithinThresholds', message: '' } as const;
  const notHolding = { status: 'False', reason: 'Decided', message: '' } as const;
  if (o.rollback?.commit)
    return {
      RolledBack: {
        status: 'True',
        reason: 'RollbackCommitted',
        message: `rolled back ${release} to ${o.rollback.to ?? 'the last verified image'} (commit ${o.rollback.commit.slice(0, 12)}): ${o.rollback.reason}`,
      },
      Breaching: { status: 'False', reason: 'RolledBack', message: `${release} was rolled back` },
      Healthy: { status: 'False', reason: 'RolledBack', message: `${release} was rolled back` },
      Holding: notHolding,
    };
  if (o.verdict === 'breach')
    return {
      Breaching: {
        status: 'True',
        reason: o.rollback ? 'RollbackNotDone' : 'GateFailed',
        message: o.rollback ? `${o.reason}; rollback not done: ${o.rollback.summary}` : o.reason,
      },
      Healthy: { status: 'False', reason: 'GateFailed', message: `${release} breaches its gates` },
      Holding: notHolding,
    };
  if (o.verdict === 'held')
    return {
      Holding: { status: 'True', reason: HOLD_REASONS[o.hold ?? 'no-data'], message: o.reason },
      Healthy: { status: 'Unknown', reason: 'Holding', message: `no verdict on ${release}: ${o.reason}` },
      Breaching: notBreaching,
    };
  if (o.verdict === 'healthy') {
    // A rollback stays reported until a release other than the one it restored passes: someone shipped a fix.
    const restored = previous?.lastRollback?.to;
    const cleared =
      restored !== undefined && o.image !== restored
        ? { RolledBack: { status: 'False', reason: 'NewReleasePassed', message: `${release} passed` } as const }
        : {};
    return {
      Healthy: { status: 'True', reason: 'EvaluationPassed', message: `${release}: ${o.reason}` },
      Breaching: notBreaching,
      Holding: notHolding,
      ...cleared,
    };
  }
  return {
    Healthy: { status: 'Unknown', reason: o.inWindow ? 'AnalysisWindow' : 'Waiting', message: o.reason },
    Breaching: notBreaching,
    Holding: { status: 'False', reason: 'NotEvaluated', message: '' },
  };
}

/** The status after one reconcile of a policy at `generation`. */
export function nextStatus(
  previous: ReleasePolicyStatus | undefined,
  generation: number,
  o: Observation,
  now: Date,
): ReleasePolicyStatus {
  let conditions: Condition[] = setCondition(
    previous?.conditions ?? [],
    'Ready',
    { status: 'True', reason: 'Reconciling', message: 'the release guard evaluates this environment' },
    now,
    generation,
  );
  const initial: Partial<Record<ConditionType, ConditionChange>> = {
    RolledBack: { status: 'False', reason: 'NoRollback', message: '' },
  };
  for (const [type, change] of Object.entries({ ...(previous?.conditions ? {} : initial), ...changes(previous, o) }))
    conditions = setCondition(conditions, type as ConditionType, change, now, generation);
  const evaluated = o.verdict !== 'skipped' && o.release !== undefined;
  return {
    ...previous,
    observedGeneration: generation,
    verdict: verdictOf(conditions),
    conditions: CONDITION_TYPES.flatMap((t) => conditions.filter((c) => c.type === t)),
    ...(o.image && o.release
      ? { live: { image: o.image, release: o.release, ...(o.since ? { since: o.since.toISOString() } : {}) } }
      : {}),
    ...(o.lastVerifiedImage ? { lastVerifiedImage: o.lastVerifiedImage } : {}),
    ...(evaluated
      ? {
          lastEvaluation: {
            time: now.toISOString(),
            release: o.release,
            reason: o.reason,
            failedEvaluations: o.failures ?? 0,
            gates: [...(o.gates ?? [])],
          },
        }
      : {}),
    ...(o.rollback?.commit && o.rollback.to
      ? {
          lastRollback: {
            time: now.toISOString(),
            image: o.rollback.image,
            to: o.rollback.to,
            commit: o.rollback.commit,
            reason: o.rollback.reason,
          },
        }
      : {}),
  };
}

/** The status of a policy the guard cannot act on (a spec it refuses, an environment it does not watch). */
export function notReadyStatus(
  previous: ReleasePolicyStatus | undefined,
  generation: number,
  reason: string,
  message: string,
  now: Date,
): ReleasePolicyStatus {
  const conditions = setCondition(
    previous?.conditions ?? [],
    'Ready',
    { status: 'False', reason, message },
    now,
    generation,
  );
  return {
    ...previous,
    observedGeneration: generation,
    verdict: verdictOf(conditions),
    conditions: CONDITION_TYPES.flatMap((t) => conditions.filter((c) => c.type === t)),
  };
}

/** One reconcile's result in the status's terms: each gate's last measured value against its threshold. */
export function observationOf(r: ReconcileResult): Observation {
  const gates = r.analysis?.gates.map((g): GateStatus => ({
    name: g.gate,
    value: [...g.evaluations].reverse().find((e) => e.value !== null)?.value ?? null,
    threshold: g.threshold,
    bound: g.bound,
    unit: g.unit,
    outcome: g.verdict.outcome,
  }));
  return {
    verdict: r.verdict,
    reason: r.reason,
    ...(r.hold ? { hold: r.hold } : {}),
    ...(r.inWindow ? { inWindow: true } : {}),
    ...(r.image ? { image: r.image } : {}),
    ...(r.release ? { release: r.release } : {}),
    ...(r.since ? { since: r.since } : {}),
    ...(r.lastVerifiedImage ? { lastVerifiedImage: r.lastVerifiedImage } : {}),
    ...(r.failures !== undefined ? { failures: r.failures } : {}),
    ...(gates ? { gates } : {}),
    ...(r.rollback && r.image
      ? {
          rollback: {
            image: r.image,
            ...(r.rollbackTo ? { to: r.rollbackTo } : {}),
            ...(r.rollback.commit ? { commit: r.rollback.commit } : {}),
            reason: r.reason,
            summary: r.rollback.summary,
          },
        }
      : {}),
  };
}
