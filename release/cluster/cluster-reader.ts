// Reads an environment's Argo CD Application, Deployment and release pods through @kubernetes/client-node
// (KUBECONFIG or the in-cluster config). A failed read is returned as data, like a failed Prometheus query.
import * as k8s from '@kubernetes/client-node';
import { LABELS } from '../../contract/runtime';
import type { EnvironmentName } from '../../cdk8s/environments';
import { applicationName, COMPONENTS, selectorLabels, workloadName } from '../../cdk8s/names';
import { GITOPS_SOURCE } from '../../cdk8s/gitops-source';
import { RELEASE_POLICY_API } from '../../cdk8s/release-policy';
import type { ApplicationState, ClusterState, DeploymentState, PodState } from './cluster-state';

export interface ClusterTarget {
  readonly env: EnvironmentName;
  readonly namespace: string;
  readonly release: string;
}

export type ClusterRead =
  { readonly kind: 'state'; readonly state: ClusterState } | { readonly kind: 'error'; readonly error: string };

export interface ClusterReader {
  read(target: ClusterTarget): Promise<ClusterRead>;
}

/** KUBECONFIG (or ~/.kube/config) outside a cluster, the service account inside one. */
export function loadKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (process.env.KUBERNETES_SERVICE_HOST && !process.env.KUBECONFIG) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

function isNotFound(e: unknown): boolean {
  return (e as { code?: number }).code === 404;
}

async function orAbsent<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

interface Health {
  status?: string;
  message?: string;
}

interface ArgoApplication {
  status?: {
    sync?: { status?: string; revision?: string };
    health?: Health;
    /** Each managed resource with its own health, as Argo CD lists them. */
    resources?: { group?: string; kind?: string; name?: string; health?: Health }[];
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision?: string };
      operation?: { sync?: { revision?: string } };
    };
  };
}

/** Argo CD's health statuses, least to most severe (gitops-engine's order): an Application shows its worst resource's. */
const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/**
 * The Application's health without the release guard's ReleasePolicy. Its health is the guard's verdict on the
 * release it last judged (Progressing through a new release's analysis window, Degraded after a rollback): counting it
 * would make `verify` wait on the guard, or fail a new release for its predecessor's rollback.
 */
function releaseHealth(s: NonNullable<ArgoApplication['status']>): Health | undefined {
  const guard = (r: { group?: string }) => r.group === RELEASE_POLICY_API.group;
  const resources = s.resources ?? [];
  if (!resources.some((r) => guard(r) && r.health?.status && r.health.status !== 'Healthy')) return s.health;
  const rank = (h?: string) => (h === undefined ? -1 : HEALTH_ORDER.indexOf(h));
  const worst = resources
    .filter((r) => !guard(r) && r.health?.status)
    .reduce<(typeof resources)[number] | undefined>(
      (w, r) => (rank(r.health?.status) > rank(w?.health?.status) ? r : w),
      undefined,
    );
  if (!worst) return { status: 'Healthy' };
  const message = worst.health?.message ? `${worst.kind} ${worst.name}: ${worst.health.message}` : undefined;
  return { status: worst.health!.status, ...(message ? { message } : {}) };
}

function applicationState(app: ArgoApplication): ApplicationState {
  const s = app.status ?? {};
  const op = s.operationState;
  const health = releaseHealth(s);
  return {
    syncStatus: s.sync?.status,
    syncRevision: s.sync?.revision,
    healthStatus: health?.status,
    healthMessage: health?.message,
    ...(op
      ? {
          operation: {
            phase: op.phase,
            message: op.message,
            revision: op.syncResult?.revision ?? op.operation?.sync?.revision,
            startedAt: op.startedAt,
            finishedAt: op.finishedAt,
          },
        }
      : {}),
  };
}

function deploymentState(d: k8s.V1Deployment): DeploymentState {
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  return {
    generation: d.metadata?.generation,
    observedGeneration: d.status?.observedGeneration,
    desired: d.spec?.replicas ?? 1,
    total: d.status?.replicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    progressingReason: progressing?.reason,
  };
}

function podState(p: k8s.V1Pod): PodState {
  const byName = new Map((p.status?.containerStatuses ?? []).map((c) => [c.name, c]));
  return {
    name: p.metadata?.name ?? '(unnamed)',
    containers: (p.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      restartCount: byName.get(c.name)?.restartCount ?? 0,
    })),
  };
}

export class KubernetesClusterReader implements ClusterReader {
  private readonly custom: k8s.CustomObjectsApi;
  private readonly apps: k8s.AppsV1Api;
  private readonly core: k8s.CoreV1Api;

  constructor(
    kc: k8s.KubeConfig = loadKubeConfig(),
    private readonly argocdNamespace: string = GITOPS_SOURCE.argocdNamespace,
  ) {
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  async read(target: ClusterTarget): Promise<ClusterRead> {
    try {
      const labelSelector = Object.entries({
        ...selectorLabels(target.env, COMPONENTS.api),
        [LABELS.release]: target.release,
      })
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const [app, deployment, pods] = await Promise.all([
        orAbsent(
          () =>
            this.custom.getNamespacedCustomObject({
              group: 'argoproj.io',
              version: 'v1alpha1',
              namespace: this.argocdNamespace,
              plural: 'applications',
              name: applicationName(target.env),
            }) as Promise<ArgoApplication>,
        ),
        orAbsent(() => this.apps.readNamespacedDeployment({ name: workloadName(), namespace: target.namespace })),
        this.core.listNamespacedPod({ namespace: target.namespace, labelSelector }),
      ]);
      return {
        kind: 'state',
        state: {
          ...(app ? { application: applicationState(app) } : {}),
          ...(deployment ? { deployment: deploymentState(deployment) } : {}),
          pods: pods.items.map(podState),
        },
      };
    } catch (e) {
      const err = e as Error & { code?: number };
      return {
        kind: 'error',
        error: `Kubernetes API read failed${err.code ? ` (HTTP ${err.code})` : ''}: ${err.message.split('\n')[0]}`,
      };
    }
  }
}
