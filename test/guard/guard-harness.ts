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
import { EnvironmentReconciler, type GuardLog, type ReconcileResult } from '../../release/guard/reconcile';
import { application, deployment, pod } from '../release/cluster-objects';
import type { KubeApiDouble } from '../support/kube-api-double';

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
  intervalMs: 1000,
  failuresToRollback: 2,
  slo: { window: '10s', interval: '2s', minSamples: 3 },
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
  const guard = new ReleaseGuard({
    ...parts(o, harness, identity),
    settings: { ...TEST_SETTINGS(identity, env), ...o.settings },
    leases: o.kc.makeApiClient(k8s.CoordinationV1Api),
    onReconcile: (r) => harness.results.push(r),
  });
  guard.start();
  return { ...harness, guard };
}

/** One reconciler that believes it leads: for tests of single evaluations. */
export function reconciler(o: GuardOptions, env: EnvironmentName): Harness & { reconciler: EnvironmentReconciler } {
  const harness: Harness = { results: [], logs: [], metrics: new GuardMetrics({ defaults: false }) };
  const settings = TEST_SETTINGS('guard-test', env);
  return {
    ...harness,
    reconciler: new EnvironmentReconciler(env, { ...parts(o, harness, 'guard-test'), isLeader: () => true, settings }),
  };
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

/** Events the double holds in Argo CD's namespace, oldest first. */
export async function events(kc: k8s.KubeConfig): Promise<k8s.EventsV1Event[]> {
  const list = await kc.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace: 'argocd' });
  return list.items;
}

export const NAMESPACE = (env: EnvironmentName) => ENVIRONMENTS[env].namespace;
