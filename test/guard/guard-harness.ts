// The guard's test wiring: an in-process ReleaseGuard (or one reconciler) over the real client-node client against
// the Kubernetes API double, a real Prometheus provider, real git and the real cdk8s synth, with its logs, results
// and the Events it wrote kept for assertions.
import * as k8s from '@kubernetes/client-node';
import { ENVIRONMENTS, type EnvironmentName } from '../../cdk8s/environments';
import { releaseId } from '../../cdk8s/release-record';
import { KubernetesClusterReader } from '../../release/cluster/cluster-reader';
import { cdk8sSynth } from '../../release/default-synth';
import { PrometheusProvider } from '../../release/gates/prometheus-provider';
import { ReleaseGuard } from '../../release/guard/guard';
import { GUARD_CONTROLLER, KubernetesEventSink } from '../../release/guard/guard-events';
import { GuardMetrics } from '../../release/guard/guard-metrics';
import type { GuardSettings } from '../../release/guard/guard-settings';
import { PolicyInformers } from '../../release/guard/policy-informer';
import { PolicyStatusWriter } from '../../release/guard/policy-status-writer';
import {
  EnvironmentReconciler,
  type ActivePolicy,
  type GuardLog,
  type ReconcileResult,
} from '../../release/guard/reconcile';
import {
  parseReleasePolicySpec,
  RELEASE_POLICY_API,
  RELEASE_POLICY_API_VERSION,
  type ReleasePolicy,
  type ReleasePolicySpecInput,
} from '../../cdk8s/release-policy';
import { releasePolicySpec } from '../../cdk8s/release-policy-manifests';
import { application, deployment, pod } from '../release/cluster-objects';
import { KubeApiDouble } from '../support/kube-api-double';

export interface Harness {
  readonly results: ReconcileResult[];
  readonly logs: Array<Record<string, unknown>>;
  readonly metrics: GuardMetrics;
}

export function kubeConfig(path: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function memoryLog(logs: Array<Record<string, unknown>>): GuardLog {
  const at = (level: string) => (fields: object, msg: string) => void logs.push({ level, msg, ...fields });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export interface GuardOptions {
  readonly kc: k8s.KubeConfig;
  readonly gitops: string;
  readonly prometheusUrl: string;
  readonly identity?: string;
  readonly settings?: Partial<GuardSettings>;
}

export const TEST_SETTINGS = (identity: string, env: EnvironmentName): GuardSettings => ({
  environments: [env],
  lease: {
    namespace: 'hello-platform',
    name: 'hello-release-guard',
    identity,
    leaseDurationSeconds: 2,
    renewDeadlineMs: 1500,
    retryPeriodMs: 200,
  },
});

function parts(o: GuardOptions, harness: Harness, identity: string) {
  return {
    reader: new KubernetesClusterReader(o.kc),
    provider: new PrometheusProvider({ url: o.prometheusUrl, timeoutMs: 500 }),
    events: new KubernetesEventSink(o.kc.makeApiClient(k8s.EventsV1Api), identity),
    release: {
      gitops: o.gitops,
      synth: cdk8sSynth,
      actor: `${GUARD_CONTROLLER} ${identity}`,
      push: { baseDelayMs: 10 },
    },
    metrics: harness.metrics,
    log: memoryLog(harness.logs),
    ingestDelayMs: 500,
  };
}

export function startGuard(o: GuardOptions, env: EnvironmentName): Harness & { guard: ReleaseGuard } {
  const identity = o.identity ?? 'guard-test';
  const harness: Harness = { results: [], logs: [], metrics: new GuardMetrics({ defaults: false }) };
  const log = memoryLog(harness.logs);
  const guard = new ReleaseGuard({
    ...parts(o, harness, identity),
    settings: { ...TEST_SETTINGS(identity, env), ...o.settings },
    policies: (onChange) =>
      new PolicyInformers(o.kc, {
        namespaces: new Map([[env, NAMESPACE(env)]]),
        onChange,
        onError: (m) => log.warn({}, m),
        restartDelayMs: 200,
      }),
    statusWriter: new PolicyStatusWriter(o.kc.makeApiClient(k8s.CustomObjectsApi), GUARD_CONTROLLER),
    idleMs: 1000,
    leases: o.kc.makeApiClient(k8s.CoordinationV1Api),
    onReconcile: (r) => harness.results.push(r),
  });
  guard.start();
  return { ...harness, guard };
}

/** One reconciler that believes it leads: for tests of single evaluations. */
export function reconciler(o: GuardOptions, env: EnvironmentName): Harness & { reconciler: EnvironmentReconciler } {
  const harness: Harness = { results: [], logs: [], metrics: new GuardMetrics({ defaults: false }) };
  return {
    ...harness,
    reconciler: new EnvironmentReconciler(env, { ...parts(o, harness, 'guard-test'), isLeader: () => true }),
  };
}

/** The API double with ReleasePolicies served as the CRD serves them (status subresource, generation). */
export function policyApi(): KubeApiDouble {
  return new KubeApiDouble().withStatusSubresource(RELEASE_POLICY_API_VERSION, RELEASE_POLICY_API.plural);
}

/** An environment's synthesized policy with test timings: a 10 s window, gates every 2 s, an evaluation every
 * second, a rollback after 2 failed evaluations in a row. */
export function testPolicySpec(
  env: EnvironmentName,
  overrides: Partial<ReleasePolicySpecInput> = {},
): ReleasePolicySpecInput {
  return {
    ...releasePolicySpec(ENVIRONMENTS[env]),
    interval: '1s',
    analysis: { window: '10s', interval: '2s', minSamples: 3 },
    rollback: { afterFailedEvaluations: 2 },
    ...overrides,
  };
}

/** The policy as one reconcile follows it (for single evaluations). */
export function testPolicy(env: EnvironmentName): ActivePolicy {
  return {
    spec: parseReleasePolicySpec(testPolicySpec(env), env),
    ref: { name: POLICY_NAME, namespace: NAMESPACE(env) },
  };
}

export const POLICY_NAME = 'hello-app';

/** What Argo CD shows once it has synced the environment's ReleasePolicy (a spec write: the status is kept). */
export function showPolicy(
  api: KubeApiDouble,
  env: EnvironmentName,
  overrides: Partial<ReleasePolicySpecInput> = {},
): void {
  api.putAs(RELEASE_POLICY_API.plural, {
    apiVersion: RELEASE_POLICY_API_VERSION,
    kind: RELEASE_POLICY_API.kind,
    metadata: { name: POLICY_NAME, namespace: NAMESPACE(env) },
    spec: testPolicySpec(env, overrides),
  });
}

/** The ReleasePolicy as the API double holds it. */
export function storedPolicy(api: KubeApiDouble, env: EnvironmentName): ReleasePolicy {
  return api.get(
    RELEASE_POLICY_API_VERSION,
    NAMESPACE(env),
    RELEASE_POLICY_API.plural,
    POLICY_NAME,
  ) as unknown as ReleasePolicy;
}

/** What the cluster shows once Argo CD has applied `image` in `env`: Synced, Healthy, rolled out, two pods. */
export function showLive(api: KubeApiDouble, env: EnvironmentName, image: string, revision = 'a'.repeat(40)): void {
  const release = releaseId(image);
  api.put(
    application(env, { revision }),
    deployment(env, { image, release }),
    pod(env, `hello-app-${release}-a`, image, release),
    pod(env, `hello-app-${release}-b`, image, release),
  );
}

export const NAMESPACE = (env: EnvironmentName) => ENVIRONMENTS[env].namespace;

/** Events the double holds in an environment's namespace (where its ReleasePolicy lives), oldest first. */
export async function events(kc: k8s.KubeConfig, namespace = NAMESPACE('dev')): Promise<k8s.EventsV1Event[]> {
  const list = await kc.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace });
  return list.items;
}
