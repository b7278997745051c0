// The release guard's runtime contract: the environment variables its Deployment sets (cdk8s) and `release guard`
// reads, and the metric names it exports and its alerts (cdk8s) query.

/** Environment variables the guard reads (the Deployment sets them; `release guard` falls back to them). */
export const GUARD_ENV = {
  prometheusUrl: 'PROMETHEUS_URL',
  gitops: 'GITOPS_REPOSITORY',
  podName: 'POD_NAME',
  podNamespace: 'POD_NAMESPACE',
} as const;
