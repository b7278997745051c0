// The release guard's runtime contract: the environment variables its Deployment sets (cdk8s) and `release guard`
// reads, and the metric names it exports and its alerts (cdk8s) query.

/** Environment variables the guard reads (the Deployment sets them; `release guard` falls back to them). */
export const GUARD_ENV = {
  prometheusUrl: 'PROMETHEUS_URL',
  gitops: 'GITOPS_REPOSITORY',
  podName: 'POD_NAME',
  podNamespace: 'POD_NAMESPACE',
} as const;

/** The guard's own metrics, as its alerts (cdk8s) query them. */
export const GUARD_METRICS = {
  /** 1 while this replica holds the Lease and acts. */
  leader: 'release_guard_leader',
  /** Unix time of the last finished evaluation of an environment. */
  lastEvaluation: 'release_guard_last_evaluation_timestamp_seconds',
  /** Reconciles that could not evaluate, by cause. */
  reconcileErrors: 'release_guard_reconcile_errors_total',
  /** 1 while the leader has not been able to evaluate an environment for longer than its analysis window. */
  blind: 'release_guard_blind',
  /** Unix time the current run of held verdicts (other than a quiet period) began; 0 when not holding. */
  holdingSince: 'release_guard_holding_since_timestamp_seconds',
} as const;
