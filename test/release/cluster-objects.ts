// Recorded-style Kubernetes and Argo CD API objects for the API double: an environment's Application, its
// Deployment and the release's pods, in the shapes the real API server returns, with the variations verify meets.
import { LABELS } from '../../contract/runtime';
import type { EnvironmentName } from '../../cdk8s/environments';
import { applicationName, COMPONENTS, releasePodLabels, workloadName } from '../../cdk8s/names';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import type { KubeObject } from '../support/kube-api-double';

export type OperationPhase = 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';

/** One resource of a sync's result: the migration hook (wave 0) or the Deployment (wave 1). */
export interface SyncedResource {
  kind: 'Job' | 'Deployment';
  name: string;
  status: 'Synced' | 'SyncFailed';
  message: string;
  hookPhase?: 'Running' | 'Succeeded' | 'Failed';
}

export interface AppStatus {
  /** The revision Argo CD compared against (`status.sync.revision`). */
  revision: string;
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Suspended';
  phase?: OperationPhase;
  message?: string;
  startedAt?: string;
  /** Only a finished operation has one. */
  finishedAt?: string;
  /** The revision the current or last operation syncs. @default revision */
  operationRevision?: string;
  resources?: SyncedResource[];
}

export function application(env: EnvironmentName, s: AppStatus): KubeObject {
  const source = {
    repoURL: 'https://github.com/example/hello-app.git',
    path: `gitops/${env}`,
    targetRevision: 'main',
    directory: { exclude: 'release.json', recurse: false },
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(env),
      namespace: 'argocd',
      labels: { [LABELS.environment]: env },
      generation: 42,
    },
    spec: {
      project: 'hello-app',
      source,
      destination: { server: 'https://kubernetes.default.svc', namespace: ENVIRONMENTS[env].namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: {
        status: s.sync ?? 'Synced',
        revision: s.revision,
        comparedTo: {
          source,
          destination: { server: 'https://kubernetes.default.svc', namespace: ENVIRONMENTS[env].namespace },
        },
      },
      health: {
        status: s.health ?? 'Healthy',
        ...(s.health === 'Degraded' ? { message: 'Deployment "hello-app" exceeded its progress deadline' } : {}),
      },
      operationState: operationState(env, s, source),
      reconciledAt: '2025-02-01T10:00:09Z',
      sourceType: 'Directory',
      summary: { images: [] },
    },
  };
}

function operationState(env: EnvironmentName, s: AppStatus, source: object): object {
  const phase = s.phase ?? 'Succeeded';
  const revision = s.operationRevision ?? s.revision;
  const resources = s.resources ?? [
    {
      kind: 'Deployment',
      name: workloadName(),
      status: 'Synced',
      message: 'deployment.apps/hello-app configured',
    },
  ];
  return {
    operation: { sync: { revision }, initiatedBy: { automated: true }, retry: { limit: 5 } },
    phase,
    message: s.message ?? (phase === 'Succeeded' ? 'successfully synced (all tasks run)' : ''),
    startedAt: s.startedAt ?? '2025-02-01T10:00:00Z',
    ...(phase === 'Running' || phase === 'Terminating' ? {} : { finishedAt: s.finishedAt ?? '2025-02-01T10:00:07Z' }),
    syncResult: {
      revision,
      source,
      resources: resources.map((r) => ({
        group: r.kind === 'Job' ? 'batch' : 'apps',
        version: 'v1',
        kind: r.kind,
        namespace: ENVIRONMENTS[env].namespace,
        name: r.name,
        status: r.status,
        message: r.message,
        ...(r.hookPhase ? { hookPhase: r.hookPhase, hookType: 'Sync' } : {}),
        syncPhase: 'Sync',
      })),
    },
  };
}

export interface RolloutStatus {
  image: string;
  release: string;
  desired?: number;
  updated?: number;
  ready?: number;
  total?: number;
  generation?: number;
  observedGeneration?: number;
  deadlineExceeded?: boolean;
}

export function deployment(env: EnvironmentName, r: RolloutStatus): KubeObject {
  const desired = r.desired ?? 2;
  const namespace = ENVIRONMENTS[env].namespace;
  const complete = !r.deadlineExceeded && (r.updated ?? desired) === desired;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: workloadName(),
      namespace,
      generation: r.generation ?? 7,
      labels: { [LABELS.name]: workloadName(), [LABELS.environment]: env },
    },
    spec: {
      replicas: desired,
      selector: {
        matchLabels: {
          [LABELS.name]: workloadName(),
          [LABELS.instance]: applicationName(env),
          [LABELS.component]: COMPONENTS.api,
        },
      },
      template: {
        metadata: { labels: releasePodLabels(env, COMPONENTS.api, r.release) },
        spec: { containers: [{ name: 'api', image: r.image }] },
      },
    },
    status: {
      observedGeneration: r.observedGeneration ?? r.generation ?? 7,
      replicas: r.total ?? desired,
      updatedReplicas: r.updated ?? desired,
      readyReplicas: r.ready ?? desired,
      availableReplicas: r.ready ?? desired,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          lastUpdateTime: '2025-02-01T10:00:30Z',
          lastTransitionTime: '2025-02-01T09:00:00Z',
        },
        r.deadlineExceeded
          ? {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "hello-app-7d9c" has timed out progressing.',
            }
          : {
              type: 'Progressing',
              status: 'True',
              reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
              message: 'ReplicaSet "hello-app-7d9c" is progressing.',
            },
      ],
    },
  };
}

export function pod(env: EnvironmentName, name: string, image: string, release: string, restartCount = 0): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ENVIRONMENTS[env].namespace, labels: releasePodLabels(env, COMPONENTS.api, release) },
    spec: { containers: [{ name: 'api', image }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'api',
          image,
          ready: true,
          restartCount,
          started: true,
          state: { running: { startedAt: '2025-02-01T10:00:20Z' } },
          ...(restartCount > 0
            ? { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-02-01T10:00:18Z' } } }
            : {}),
        },
      ],
    },
  };
}
