// The guard's settings: which environments it watches, how often, how many failed evaluations in a row make a
// rollback, and its Lease. Validated once (zod, unknown keys rejected) so a bad value stops the process at start.
import { z } from 'zod';
import { durationSchema, ENVIRONMENT_NAMES, type GateName, type Slo } from '../../cdk8s/environments';

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
  environments: z.array(z.enum(ENVIRONMENT_NAMES)).min(1),
  /** Time between two evaluations of one environment. */
  intervalMs: z.number().int().min(100),
  /** Consecutive failed evaluations of the same release that make a rollback. */
  failuresToRollback: z.number().int().min(1).max(20),
  /** Replaces parts of each environment's SLO (tests shorten the window). */
  slo: z
    .strictObject({
      window: durationSchema.optional(),
      interval: durationSchema.optional(),
      minSamples: z.number().int().min(1).optional(),
    })
    .default({}),
  lease: leaseSettingsSchema,
});
export type GuardSettings = z.infer<typeof guardSettingsSchema>;

/**
 * The SLO the guard judges with: the environment's own, with "no data" holding on every gate. At verify time no
 * data may fail a new release; for a release already live, missing data says something about Prometheus or the
 * scrape, not about the release, and the guard never acts on that.
 */
export function guardSlo(slo: Slo, overrides: Partial<Pick<Slo, 'window' | 'interval' | 'minSamples'>> = {}): Slo {
  const gates = Object.fromEntries(
    Object.entries(slo.gates).map(([g, p]) => [g, { ...p, noData: 'hold' as const }]),
  ) as Record<GateName, Slo['gates'][GateName]>;
  return { ...slo, ...overrides, gates };
}
