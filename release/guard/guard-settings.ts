// The guard's process settings — which environments' namespaces it watches and its Lease — and the SLO it judges
// with, from the ReleasePolicy (thresholds, window, counting rules). Settings are validated once (zod, unknown keys
// rejected) so a bad value stops the process at start.
import { z } from 'zod';
import { ENVIRONMENT_NAMES, type GateName, type Slo } from '../../cdk8s/environments';
import type { ReleasePolicySpec } from '../../cdk8s/release-policy';

export const leaseSettingsSchema = z
  .strictObject({
    namespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a namespace name'),
    name: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'a Lease name'),
    /** This replica's identity (the pod name in the cluster). */
    identity: z.string().min(1).max(253),
    /** How long a candidate waits, from the last renewal it observed, before taking the Lease over. */
    leaseDurationSeconds: z.number().int().min(1).max(3600),
    /** The leader steps down when it has not renewed for this long: shorter than the lease duration. */
    renewDeadlineMs: z.number().int().min(100),
    /** How often candidates try to acquire and the leader renews. */
    retryPeriodMs: z.number().int().min(50),
  })
  .refine((l) => l.renewDeadlineMs < l.leaseDurationSeconds * 1000, {
    message: "'renewDeadlineMs' must be shorter than 'leaseDurationSeconds'",
    path: ['renewDeadlineMs'],
  })
  .refine((l) => l.retryPeriodMs < l.renewDeadlineMs, {
    message: "'retryPeriodMs' must be shorter than 'renewDeadlineMs'",
    path: ['retryPeriodMs'],
  });
export type LeaseSettings = z.infer<typeof leaseSettingsSchema>;

export const guardSettingsSchema = z.strictObject({
  /** The environments whose namespaces this guard watches for ReleasePolicies (its RBAC reaches those). */
  environments: z.array(z.enum(ENVIRONMENT_NAMES)).min(1),
  lease: leaseSettingsSchema,
});
export type GuardSettings = z.infer<typeof guardSettingsSchema>;

/**
 * The SLO the guard judges with: the environment's, with the thresholds, window and counting rules its ReleasePolicy
 * declares, and "no data" holding on every gate. At verify time no data may fail a new release; for a release already
 * live, missing data says something about Prometheus or the scrape, not about the release, and the guard never acts
 * on that.
 */
export function policySlo(slo: Slo, policy: ReleasePolicySpec): Slo {
  const gate = (g: GateName) => {
    const { threshold: _threshold, ...counting } = policy.gates[g];
    return { ...counting, noData: 'hold' as const };
  };
  return {
    ...slo,
    minRequestsPerSecond: policy.gates.traffic.threshold,
    maxErrorRatio: policy.gates.errorRatio.threshold,
    maxP99LatencySeconds: policy.gates.latencyP99.threshold,
    window: policy.analysis.window,
    interval: policy.analysis.interval,
    minSamples: policy.analysis.minSamples,
    gates: { traffic: gate('traffic'), errorRatio: gate('errorRatio'), latencyP99: gate('latencyP99') },
  };
}
