// The ReleasePolicy custom resource: what a platform engineer declares about one environment's live release (the
// spec) and what the release guard saw (the status), as zod schemas. The guard validates with these, and the CRD's
// OpenAPI schema is generated from them (constructs/release-policy-crd.ts), so the two cannot drift apart.
import { z } from 'zod';
import { DURATION_FORMAT, DURATION_PATTERN, durationMs } from '../contract/duration';
import { ENVIRONMENT_NAMES, gateCountingShape, streakWithinTotal } from './environments';

/** The API of the kind: a group under the project's own domain, the version and the names. */
export const RELEASE_POLICY_API = {
  group: 'release.hello-app.dev',
  version: 'v1alpha1',
  kind: 'ReleasePolicy',
  listKind: 'ReleasePolicyList',
  plural: 'releasepolicies',
  singular: 'releasepolicy',
  shortNames: ['rpol'],
} as const;
export const RELEASE_POLICY_API_VERSION = `${RELEASE_POLICY_API.group}/${RELEASE_POLICY_API.version}`;

/** A CEL rule the API server evaluates (`x-kubernetes-validations`); zod checks the same rule in code. */
const cel = (rule: string, message: string) => ({ 'x-kubernetes-validations': [{ rule, message }] });

/** The project's durations ("500ms", "30s", "5m", "1h"): Prometheus ranges and Go durations alike, so CEL reads them. */
const duration = z.string().max(12).regex(DURATION_PATTERN, DURATION_FORMAT);

const k8sName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a Kubernetes object name');
const c = gateCountingShape;

/** One gate: its threshold and the counting rules of the gate engine (Argo Rollouts' names and meanings). */
const gateSpec = (threshold: z.ZodNumber, description: string) =>
  z
    .strictObject({
      threshold: threshold.describe(description),
      failureLimit: c.failureLimit.describe(
        'Failed measurements allowed in one analysis, in total (as in Argo Rollouts): one more fails the gate.',
      ),
      consecutiveFailureLimit: c.consecutiveFailureLimit.describe(
        'Failed measurements in a row that fail the gate at once, before failureLimit is spent. Absent: no streak rule.',
      ),
      inconclusiveLimit: c.inconclusiveLimit.describe(
        'Measurements without data allowed in total; beyond it the gate is inconclusive, which holds (never a pass).',
      ),
      consecutiveErrorLimit: c.consecutiveErrorLimit.describe(
        'Measurement errors in a row allowed (Prometheus unreachable or answering an error); beyond it the gate cannot decide, which holds.',
      ),
    })
    .refine(streakWithinTotal.check, { message: streakWithinTotal.message, path: streakWithinTotal.path })
    .meta(
      cel(
        '!has(self.consecutiveFailureLimit) || self.consecutiveFailureLimit <= self.failureLimit',
        'consecutiveFailureLimit must not exceed failureLimit',
      ),
    )
    .describe(description);

export const releasePolicySpecSchema = z
  .strictObject({
    environment: z
      .enum(ENVIRONMENT_NAMES)
      .describe(
        'The environment whose live release this policy guards; its release record lives in gitops/<environment>/.',
      )
      .meta(cel('self == oldSelf', 'environment is immutable: create a new ReleasePolicy instead')),
    application: z
      .strictObject({
        name: k8sName.describe('The Argo CD Application that syncs the environment.'),
        namespace: k8sName.max(63).describe("Argo CD's namespace."),
      })
      .describe('The Argo CD Application this policy guards.'),
    interval: duration.describe('Time between two evaluations of the live release.'),
    suspend: z
      .boolean()
      .default(false)
      .describe('When true the guard evaluates nothing, writes nothing and never rolls back.'),
    analysis: z
      .strictObject({
        window: duration.describe(
          'The range each measurement covers, and how long a release must be live before the guard judges it.',
        ),
        interval: duration.describe('How often each gate is measured within the window.'),
        minSamples: z.int().min(1).max(100).describe('Passing measurements a gate needs before it can pass.'),
      })
      .refine((a) => durationMs(a.interval) <= durationMs(a.window), {
        message: "'interval' must not be longer than 'window'",
        path: ['interval'],
      })
      .meta(cel('duration(self.interval) <= duration(self.window)', 'interval must not be longer than window'))
      .describe('The analysis each evaluation runs (the same engine as `release verify`).'),
    gates: z
      .strictObject({
        traffic: gateSpec(
          z.number().min(0).max(1e6),
          'Smallest request rate (requests per second) for the other gates to mean anything; below it the guard holds.',
        ),
        errorRatio: gateSpec(z.number().gt(0).lt(1), 'Largest share of requests answered 5xx (0..1).'),
        latencyP99: gateSpec(z.number().gt(0).max(10), 'Largest p99 request latency, in seconds.'),
      })
      .describe('The SLO gates; their PromQL is derived from the environment, thresholds and counting rules are data.'),
    rollback: z
      .strictObject({
        afterFailedEvaluations: z
          .int()
          .min(1)
          .max(20)
          .describe('Failed evaluations of the same release in a row that make the guard roll it back in git.'),
      })
      .describe('When the guard rolls a breaching release back.'),
  })
  .describe('What the release guard enforces on one environment.');
export type ReleasePolicySpec = z.output<typeof releasePolicySpecSchema>;
export type ReleasePolicySpecInput = z.input<typeof releasePolicySpecSchema>;

/** The condition types the guard reports, after the Kubernetes API conventions. */
export const CONDITION_TYPES = ['Ready', 'Healthy', 'Breaching', 'Holding', 'RolledBack'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** One word for the state of the environment, for `kubectl get`. Closed set. (A suspended policy gets no writes.) */
export const VERDICTS = ['Progressing', 'Healthy', 'Holding', 'Breaching', 'RolledBack'] as const;
export type Verdict = (typeof VERDICTS)[number];

const timestamp = z.iso.datetime().describe('RFC 3339 time.');
const reason = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/, 'a CamelCase reason');
const message = z.string().max(32768);
const image = z.string().max(512);
const releaseId = z.string().max(128);

export const conditionSchema = z.strictObject({
  type: z.enum(CONDITION_TYPES),
  status: z.enum(['True', 'False', 'Unknown']),
  reason,
  message,
  lastTransitionTime: timestamp,
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const gateStatusSchema = z.strictObject({
  name: z.enum(['traffic', 'errorRatio', 'latencyP99']),
  value: z.number().nullable().describe('The last measured value; null when there was none (no data, an error).'),
  threshold: z.number(),
  bound: z.enum(['min', 'max']).describe("'min': the value must be at least the threshold; 'max': at most."),
  unit: z.string().max(16),
  outcome: z.enum(['pass', 'fail', 'inconclusive', 'error']).describe("The gate's verdict over the last analysis."),
});
export type GateStatus = z.infer<typeof gateStatusSchema>;

export const releasePolicyStatusSchema = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The spec generation the guard last acted on.'),
    verdict: z.enum(VERDICTS).optional(),
    conditions: z
      .array(conditionSchema)
      .max(CONDITION_TYPES.length)
      .optional()
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
    live: z
      .strictObject({ image, release: releaseId, since: timestamp.optional() })
      .optional()
      .describe('The release the cluster runs, as the guard last saw it.'),
    lastVerifiedImage: image.optional().describe('The newest image that passed `release verify` here.'),
    lastEvaluation: z
      .strictObject({
        time: timestamp,
        release: releaseId,
        reason: message,
        failedEvaluations: z.int().min(0).describe('Failed evaluations of this release in a row.'),
        gates: z
          .array(gateStatusSchema)
          .max(8)
          .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
      })
      .optional(),
    lastRollback: z
      .strictObject({
        time: timestamp,
        image: image.describe('The image rolled back (marked bad).'),
        to: image.describe('The verified image restored.'),
        commit: z.string().max(64).describe('The gitops commit of the rollback.'),
        reason: message,
      })
      .optional(),
  })
  .describe('What the release guard saw; written only through the status subresource.');
export type ReleasePolicyStatus = z.infer<typeof releasePolicyStatusSchema>;

/** A ReleasePolicy object as the API serves it. */
export interface ReleasePolicy {
  apiVersion: typeof RELEASE_POLICY_API_VERSION;
  kind: typeof RELEASE_POLICY_API.kind;
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  spec: ReleasePolicySpec;
  status?: ReleasePolicyStatus;
}

/** Validates a spec; a bad value throws one line per field, naming it. */
export function parseReleasePolicySpec(value: unknown, where: string): ReleasePolicySpec {
  const result = releasePolicySpecSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues.map((i) => `${where}: field 'spec.${i.path.join('.')}': ${i.message}`).join('\n'),
  );
}
