// The guard's Deployment: replicas that elect one leader through a Lease, hardened like the service (non-root,
// read-only root filesystem, no capabilities, RuntimeDefault seccomp), probing its own /healthz and /readyz,
// spread across nodes, with git's credentials from the ExternalSecret's Secret.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PATHS } from '../../contract/runtime';
import {
  containerSecurityContext,
  podSecurityContext,
  ZERO_UNAVAILABLE_ROLLOUT,
  TMP_MOUNT,
  TMP_VOLUME,
} from './pod-hardening';

export interface GuardWorkloadProps {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly serviceAccountName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** @default 2 */
  readonly replicas?: number;
  readonly port: number;
  /** The guard's arguments after `guard`: the image's entrypoint runs the release tool (Dockerfile, `release` target). */
  readonly args: readonly string[];
  /** Plain environment variables (Prometheus URL, gitops repository). */
  readonly env: Record<string, string>;
  /** The Secret and key holding git's HTTP header. */
  readonly gitHeader: { readonly secretName: string; readonly key: string; readonly host: string };
  readonly resources: {
    readonly requests: { cpu: string; memory: string };
    readonly limits: { cpu: string; memory: string };
  };
  /** Seconds to finish a reconcile and hand the Lease back after SIGTERM. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

export class GuardWorkload extends Construct {
  constructor(scope: Construct, id: string, props: GuardWorkloadProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (replicas < 2)
      throw new Error(
        `'replicas' is ${replicas}: the guard runs at least 2 so a standby takes over the Lease when the leader goes`,
      );
    const q = (s: string) => k8s.Quantity.fromString(s);
    const httpGet = (path: string) => ({ path, port: k8s.IntOrString.fromString('metrics') });
    const fieldRef = (fieldPath: string): k8s.EnvVarSource => ({ fieldRef: { fieldPath } });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        replicas,
        selector: { matchLabels: props.selector },
        revisionHistoryLimit: 5,
        strategy: ZERO_UNAVAILABLE_ROLLOUT,
        template: {
          metadata: { labels: props.labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
            containers: [
              {
                name: 'guard',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                // No command: the image's ENTRYPOINT runs the release tool, these replace its CMD.
                args: ['guard', ...props.args],
                env: [
                  { name: 'POD_NAME', valueFrom: fieldRef('metadata.name') },
                  { name: 'POD_NAMESPACE', valueFrom: fieldRef('metadata.namespace') },
                  ...Object.entries(props.env).map(([name, value]) => ({ name, value })),
                  // git reads extra configuration from the environment: one header for the git host only.
                  { name: 'GIT_CONFIG_COUNT', value: '1' },
                  { name: 'GIT_CONFIG_KEY_0', value: `http.https://${props.gitHeader.host}/.extraheader` },
                  {
                    name: 'GIT_CONFIG_VALUE_0',
                    valueFrom: { secretKeyRef: { name: props.gitHeader.secretName, key: props.gitHeader.key } },
                  },
                  { name: 'HOME', value: TMP_MOUNT.mountPath },
                ],
                ports: [{ name: 'metrics', containerPort: props.port, protocol: 'TCP' }],
                resources: {
                  requests: { cpu: q(props.resources.requests.cpu), memory: q(props.resources.requests.memory) },
                  limits: { cpu: q(props.resources.limits.cpu), memory: q(props.resources.limits.memory) },
                },
                securityContext: containerSecurityContext(),
                startupProbe: {
                  httpGet: httpGet(PATHS.health),
                  periodSeconds: 2,
                  failureThreshold: 30,
                  timeoutSeconds: 2,
                },
                readinessProbe: {
                  httpGet: httpGet(PATHS.ready),
                  periodSeconds: 5,
                  failureThreshold: 3,
                  timeoutSeconds: 2,
                },
                livenessProbe: {
                  httpGet: httpGet(PATHS.health),
                  periodSeconds: 10,
                  failureThreshold: 3,
                  timeoutSeconds: 2,
                },
                volumeMounts: [TMP_MOUNT],
              },
            ],
            volumes: [TMP_VOLUME],
            topologySpreadConstraints: [
              {
                topologyKey: 'kubernetes.io/hostname',
                maxSkew: 1,
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: props.selector },
              },
            ],
          },
        },
      },
    });
  }
}
