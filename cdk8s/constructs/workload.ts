// The API workload: a Deployment whose pods wait for a migrated schema (init container `migrate --check --wait`),
// probe /readyz and /healthz, spread across zones, roll with zero unavailable and drain before they stop; and the
// ClusterIP Service in front of it.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { COMMANDS, DRAIN_SECONDS, ENV, HTTP_PORT, PATHS } from '../../contract/runtime';
import { HTTP_PORT_NAME } from '../names';
import { syncWave } from '../sync-order';
import { apiNodeOptions } from './api-memory';
import { helloContainer, type ContainerResources, type HelloPodProps } from './hello-container';
import { podSecurityContext, ZERO_UNAVAILABLE_ROLLOUT, TMP_VOLUME } from './pod-hardening';

/** How strictly pods spread across availability zones. */
export type ZoneSpread = 'required' | 'preferred';

export interface HelloWorkloadProps extends HelloPodProps {
  /** Labels that select the pods (a subset of `podLabels`, stable across releases). */
  readonly selector: Record<string, string>;
  /** Seconds the service keeps serving in-flight requests after SIGTERM. @default DRAIN_SECONDS (contract) */
  readonly shutdownGraceSeconds?: number;
  /** Seconds Kubernetes waits before SIGKILL; must exceed the drain. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** How long the init container waits for a reachable, migrated database. @default 300 */
  readonly migrateWaitSeconds?: number;
  /** @default 'required' (maxSkew 1 across zones, DoNotSchedule) */
  readonly zoneSpread?: ZoneSpread;
  /** Seconds a new pod must be ready before it counts as available. @default 5 */
  readonly minReadySeconds?: number;
  /** Seconds a rollout may take before it is reported failed. @default 600 */
  readonly progressDeadlineSeconds?: number;
}

/** Resources of the init container, which only opens a connection and reads the migrations table. */
const INIT_RESOURCES: ContainerResources = {
  requests: { cpu: '50m', memory: '96Mi' },
  limits: { cpu: '250m', memory: '192Mi' },
};

export class HelloWorkload extends Construct {
  constructor(scope: Construct, id: string, props: HelloWorkloadProps) {
    super(scope, id);
    const drain = props.shutdownGraceSeconds ?? DRAIN_SECONDS;
    const grace = props.terminationGracePeriodSeconds ?? 30;
    const wait = props.migrateWaitSeconds ?? 300;
    const minReady = props.minReadySeconds ?? 5;
    const deadline = props.progressDeadlineSeconds ?? 600;
    if (grace < drain + 5) {
      throw new Error(
        `'terminationGracePeriodSeconds' (${grace}) must be at least 'shutdownGraceSeconds' (${drain}) + 5: raise it to ${drain + 5} or shorten the drain`,
      );
    }
    if (deadline <= minReady || deadline <= wait) {
      throw new Error(
        `'progressDeadlineSeconds' (${deadline}) must be greater than 'minReadySeconds' (${minReady}) and 'migrateWaitSeconds' (${wait})`,
      );
    }
    for (const [key, sel] of Object.entries(props.selector)) {
      if (props.podLabels[key] !== sel) {
        throw new Error(`'selector' label ${key}=${sel} is not among 'podLabels': the Deployment would select no pods`);
      }
    }

    const common = { image: props.image, release: props.release, databaseUrl: props.databaseUrl };
    const httpGet = (path: string) => ({ path, port: k8s.IntOrString.fromString(HTTP_PORT_NAME) });
    const app = helloContainer({
      ...common,
      name: 'api',
      args: COMMANDS.serve,
      resources: props.resources,
      env: {
        ...props.env,
        [ENV.port]: String(HTTP_PORT),
        [ENV.shutdownGraceSeconds]: String(drain),
        [ENV.nodeOptions]: apiNodeOptions(props.resources),
      },
    });
    const init = helloContainer({
      ...common,
      name: 'wait-for-migrations',
      args: COMMANDS.migrateCheck,
      resources: INIT_RESOURCES,
      env: { ...props.env, [ENV.migrateWaitSeconds]: String(wait) },
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('workload'),
      },
      spec: {
        // No `replicas`: the HorizontalPodAutoscaler owns the count (a fixed value would fight it on every sync).
        selector: { matchLabels: props.selector },
        revisionHistoryLimit: 5,
        minReadySeconds: minReady,
        progressDeadlineSeconds: deadline,
        strategy: ZERO_UNAVAILABLE_ROLLOUT,
        template: {
          metadata: { labels: props.podLabels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            terminationGracePeriodSeconds: grace,
            initContainers: [init],
            containers: [
              {
                ...app,
                ports: [{ name: HTTP_PORT_NAME, containerPort: HTTP_PORT, protocol: 'TCP' }],
                startupProbe: {
                  httpGet: httpGet(PATHS.health),
                  periodSeconds: 2,
                  failureThreshold: 30,
                  timeoutSeconds: 2,
                },
                readinessProbe: {
                  httpGet: httpGet(PATHS.ready),
                  periodSeconds: 5,
                  failureThreshold: 2,
                  timeoutSeconds: 2,
                },
                livenessProbe: {
                  httpGet: httpGet(PATHS.health),
                  periodSeconds: 10,
                  failureThreshold: 3,
                  timeoutSeconds: 2,
                },
              },
            ],
            volumes: [TMP_VOLUME],
            topologySpreadConstraints: [
              {
                topologyKey: 'topology.kubernetes.io/zone',
                maxSkew: 1,
                whenUnsatisfiable: (props.zoneSpread ?? 'required') === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
                labelSelector: { matchLabels: props.selector },
                matchLabelKeys: ['pod-template-hash'],
              },
              {
                topologyKey: 'kubernetes.io/hostname',
                maxSkew: 1,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: props.selector },
                matchLabelKeys: ['pod-template-hash'],
              },
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('workload'),
      },
      spec: {
        type: 'ClusterIP',
        selector: props.selector,
        ports: [
          {
            name: HTTP_PORT_NAME,
            port: HTTP_PORT,
            targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME),
            protocol: 'TCP',
          },
        ],
      },
    });
  }
}
