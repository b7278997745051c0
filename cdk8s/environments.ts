// Each environment's settings, as data: one zod schema and three validated objects (dev, staging, prod).
// Constructs, the release gates and the alerts all read these; nothing else holds an environment's facts.
// The AWS facts (account, region, namespace, role, secret, repository, CIDRs) come from settings/, which infra/
// reads too: they are derived there, never typed here.
import { z } from 'zod';
import { awsFacts, awsFactsSchema } from '../settings/derived';
import { ENVIRONMENT_SETTINGS, SHARED_SETTINGS } from '../settings/environments';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type EnvironmentSettings,
  type SharedSettings,
} from '../settings/schema';
import { DURATION_FORMAT, durationMs, isDuration } from '../contract/duration';
import { isKnownTimeZone, TIME_ZONE_FORMAT } from '../contract/time-zone';

export { ENVIRONMENT_NAMES, type EnvironmentName };

/** The promotion order: an image reaches an environment only from the one before it. */
export const PROMOTION_ORDER: readonly EnvironmentName[] = ENVIRONMENT_NAMES;

/** A duration in the one form the settings, the release CLI and the guard all read (contract/duration.ts). */
export const durationSchema = z.string().refine(isDuration, DURATION_FORMAT);
const quantity = (unit: RegExp, example: string) =>
  z.string().regex(unit, `a Kubernetes quantity such as "${example}"`);
const cpu = quantity(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, '250m');
const memory = quantity(/^[1-9][0-9]*(Mi|Gi)$/, '256Mi');
const dnsName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, 'a DNS host name');

/** What "no data" means for a gate: fail the release, or hold the decision (never pass). */
export const NO_DATA_POLICIES = ['fail', 'hold'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];

/**
 * How a gate counts its measurements, with Argo Rollouts' field names and meanings (an AnalysisTemplate metric's
 * `failureLimit`, `inconclusiveLimit`, `consecutiveErrorLimit`, same defaults), plus `consecutiveFailureLimit`
 * (argo-rollouts#4792). docs/operations.md maps each field to the AnalysisTemplate. Shared with the ReleasePolicy
 * CRD (release-policy.ts), so the settings and the policy the guard reads count alike.
 */
export const gateCountingShape = {
  /** Failed measurements allowed in total: the gate fails when failures exceed it. @default 0 */
  failureLimit: z.number().int().min(0).max(100).default(0),
  /** Failed measurements in a row that fail the gate at once, before the total is spent. @default no streak rule */
  consecutiveFailureLimit: z.number().int().min(1).max(100).optional(),
  /** Measurements without data allowed in total when no data holds: beyond it the gate is inconclusive. @default 0 */
  inconclusiveLimit: z.number().int().min(0).max(100).default(0),
  /** Measurement errors (Prometheus unreachable, timing out, answering an error) allowed in a row: beyond it the gate
   * cannot decide. @default 4 */
  consecutiveErrorLimit: z.number().int().min(0).max(100).default(4),
};

/** A streak longer than the total would already have exceeded it: the one rule between the counting fields. */
export const streakWithinTotal = {
  check: (p: { failureLimit: number; consecutiveFailureLimit?: number | undefined }) =>
    p.consecutiveFailureLimit === undefined || p.consecutiveFailureLimit <= p.failureLimit,
  message:
    "'consecutiveFailureLimit' must not exceed 'failureLimit': a longer streak would already have exceeded the total; raise 'failureLimit' or lower the streak",
  path: ['consecutiveFailureLimit'],
};

export const gatePolicySchema = z
  .strictObject({
    ...gateCountingShape,
    /** What a measurement without data means: a failed measurement, or an inconclusive one. */
    noData: z.enum(NO_DATA_POLICIES),
  })
  .refine(streakWithinTotal.check, { message: streakWithinTotal.message, path: streakWithinTotal.path });

/** A gate's counting rules as the aggregator reads them (defaults applied). */
export type GatePolicy = z.output<typeof gatePolicySchema>;

export const sloSchema = z
  .strictObject({
    /** Largest share of requests answered 5xx (0..1). */
    maxErrorRatio: z.number().gt(0).lt(1),
    /** Largest p99 request latency, in seconds. */
    maxP99LatencySeconds: z.number().gt(0).max(10),
    /** Smallest request rate (requests per second) for the other gates to mean anything. */
    minRequestsPerSecond: z.number().min(0),
    /** The analysis window: the range each measurement covers, and how long a release must be live before a verdict. */
    window: durationSchema,
    /** How often each gate is measured during the window. */
    interval: durationSchema,
    /** Measurements needed before a gate can pass. */
    minSamples: z.number().int().min(1).max(100),
    gates: z.strictObject({ traffic: gatePolicySchema, errorRatio: gatePolicySchema, latencyP99: gatePolicySchema }),
  })
  // Only comparable once both are durations (their own issues say so otherwise).
  .refine((s) => !isDuration(s.interval) || !isDuration(s.window) || seconds(s.interval) <= seconds(s.window), {
    message: "'interval' must not be longer than 'window'",
    path: ['interval'],
  });
export type Slo = z.infer<typeof sloSchema>;
export type GateName = keyof Slo['gates'];

const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, 'a label key'),
  z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, 'a label value'),
);
const namespaceName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name');

/** The cluster an environment runs in: the namespaces and addresses its network policies and monitoring refer to. */
export const clusterSchema = z.strictObject({
  /** The Kubernetes API server Argo CD deploys to. */
  server: z.string().url(),
  /** Where the AWS Load Balancer Controller runs. */
  ingressControllerNamespace: namespaceName,
  /** Where Prometheus (the Prometheus Operator) runs and scrapes from. */
  monitoringNamespace: namespaceName,
  /** Labels the Prometheus Operator selects ServiceMonitors and PrometheusRules by. */
  monitoringSelectorLabels: labelMap,
  /** The cluster DNS pods (CoreDNS): namespace and pod labels. */
  dns: z.strictObject({
    namespace: namespaceName,
    podLabels: labelMap.refine((m) => Object.keys(m).length > 0, 'at least one label'),
  }),
});
export type Cluster = z.infer<typeof clusterSchema>;

export const environmentSchema = z.strictObject({
  name: z.enum(ENVIRONMENT_NAMES),
  cluster: clusterSchema,
  replicas: z
    .strictObject({ min: z.number().int().min(1).max(50), max: z.number().int().min(1).max(100) })
    .refine((r) => r.min <= r.max, { message: "'min' must not exceed 'max'", path: ['min'] }),
  /** Target average CPU utilisation (percent of requests) for the HorizontalPodAutoscaler. */
  targetCpuUtilization: z.number().int().min(10).max(95),
  /**
   * The API container's. Memory: requests cover its measured peak (217 MiB, docs/drills.md); limits must leave the
   * margin cdk8s/constructs/api-memory.ts checks.
   */
  resources: z.strictObject({
    requests: z.strictObject({ cpu, memory }),
    limits: z.strictObject({ cpu, memory }),
  }),
  /** The public host name; no Ingress where absent. */
  ingressHost: dnsName.optional(),
  /** The time zone "today" is computed in: checked as the service checks TZ_NAME, so a typo fails synth, not the pods. */
  timeZone: z.string().refine(isKnownTimeZone, TIME_ZONE_FORMAT),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  slo: sloSchema,
});
/** An environment's Kubernetes-side settings joined with what it takes from the AWS settings (the chart's values). */
export const joinedEnvironmentSchema = environmentSchema.extend({
  /** The namespace everything of the environment lives in (the IRSA trust names it). */
  namespace: namespaceName,
  aws: awsFactsSchema,
});
export type Environment = z.infer<typeof joinedEnvironmentSchema>;

/** Seconds in a duration ("30s", "5m", "1h"). */
export function seconds(d: string): number {
  return durationMs(d) / 1000;
}

/**
 * The gates' counting rules. Traffic: a third measurement below the minimum fails (no data counts as one). Error
 * ratio and p99: two breaches in a row fail fast, three in total fail however spread; measurements without data
 * are tolerated up to `inconclusiveLimit` (what the window leaves after `minSamples` passes). A third Prometheus
 * error in a row makes the run undecidable.
 */
const strictGates = (inconclusiveLimit: number) =>
  ({
    traffic: { failureLimit: 2, inconclusiveLimit, consecutiveErrorLimit: 2, noData: 'fail' },
    errorRatio: {
      failureLimit: 2,
      consecutiveFailureLimit: 2,
      inconclusiveLimit,
      consecutiveErrorLimit: 2,
      noData: 'hold',
    },
    latencyP99: {
      failureLimit: 2,
      consecutiveFailureLimit: 2,
      inconclusiveLimit,
      consecutiveErrorLimit: 2,
      noData: 'hold',
    },
  }) as const;

const cluster = {
  server: 'https://kubernetes.default.svc',
  ingressControllerNamespace: 'kube-system',
  monitoringNamespace: 'monitoring',
  monitoringSelectorLabels: { release: 'kube-prometheus-stack' },
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
};

const raw: Record<EnvironmentName, unknown> = {
  dev: {
    name: 'dev',
    cluster,
    replicas: { min: 1, max: 3 },
    targetCpuUtilization: 70,
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    ingressHost: 'hello.dev.example.com',
    timeZone: 'UTC',
    logLevel: 'debug',
    slo: {
      maxErrorRatio: 0.05,
      maxP99LatencySeconds: 0.5,
      minRequestsPerSecond: 0.1,
      window: '2m',
      interval: '20s',
      minSamples: 3,
      gates: strictGates(3),
    },
  },
  staging: {
    name: 'staging',
    cluster,
    replicas: { min: 2, max: 4 },
    targetCpuUtilization: 70,
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '384Mi' } },
    ingressHost: 'hello.staging.example.com',
    timeZone: 'UTC',
    logLevel: 'info',
    slo: {
      maxErrorRatio: 0.01,
      maxP99LatencySeconds: 0.3,
      minRequestsPerSecond: 0.5,
      window: '5m',
      interval: '30s',
      minSamples: 5,
      gates: strictGates(5),
    },
  },
  prod: {
    name: 'prod',
    cluster,
    replicas: { min: 3, max: 10 },
    targetCpuUtilization: 65,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    ingressHost: 'hello.example.com',
    timeZone: 'UTC',
    logLevel: 'info',
    slo: {
      maxErrorRatio: 0.005,
      maxP99LatencySeconds: 0.25,
      minRequestsPerSecond: 1,
      window: '10m',
      interval: '30s',
      minSamples: 10,
      gates: { ...strictGates(10), errorRatio: { ...strictGates(10).errorRatio, noData: 'fail' } },
    },
  },
};

/**
 * Validates one environment's settings and joins them with its AWS settings; a bad value throws naming the
 * environment and the field.
 */
export function parseEnvironment(
  name: EnvironmentName,
  value: unknown,
  awsSettings: EnvironmentSettings = ENVIRONMENT_SETTINGS[name],
  shared: SharedSettings = SHARED_SETTINGS,
): Environment {
  const result = environmentSchema.safeParse(value);
  if (result.success) {
    if (result.data.name !== name)
      throw new Error(`environment '${name}': field 'name' is '${result.data.name}', expected '${name}'`);
    const aws = awsFacts(awsSettings, shared);
    return { ...result.data, namespace: aws.namespace, aws };
  }
  const lines = result.error.issues.map(
    (i) => `environment '${name}': field '${i.path.join('.') || '(root)'}': ${i.message}`,
  );
  throw new Error(lines.join('\n'));
}

/** The three environments, validated when this module loads so a bad value fails synth at once. */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, Environment>> = Object.freeze({
  dev: parseEnvironment('dev', raw.dev),
  staging: parseEnvironment('staging', raw.staging),
  prod: parseEnvironment('prod', raw.prod),
});

export function environment(name: string): Environment {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown environment '${name}': expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  return ENVIRONMENTS[name as EnvironmentName];
}
