// The public entry: an Ingress for the AWS Load Balancer Controller (an internet-facing ALB sending to pod IPs),
// HTTPS with the certificate discovered from ACM by host, HTTP redirected, health-checked on /readyz, routing only
// the public API and its docs.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { DRAIN_SECONDS, PATHS, PUBLIC_ROUTES } from '../../contract/runtime';
import { HTTP_PORT_NAME } from '../names';
import { syncWave } from '../sync-order';

const ALB = 'alb.ingress.kubernetes.io';

/** Whether the ALB faces the internet or only the VPC. */
export type LoadBalancerScheme = 'internet-facing' | 'internal';

export interface HelloIngressProps {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly serviceName: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
  /** @default 'internet-facing' */
  readonly scheme?: LoadBalancerScheme;
  /** Seconds the ALB keeps sending in-flight requests to a deregistering pod; must not exceed the pod's drain. @default 15 */
  readonly deregistrationDelaySeconds?: number;
  /** The pods' drain (SHUTDOWN_GRACE_SECONDS). @default DRAIN_SECONDS (contract) */
  readonly podDrainSeconds?: number;
}

export class HelloIngress extends Construct {
  constructor(scope: Construct, id: string, props: HelloIngressProps) {
    super(scope, id);
    const delay = props.deregistrationDelaySeconds ?? 15;
    const drain = props.podDrainSeconds ?? DRAIN_SECONDS;
    if (delay > drain) {
      throw new Error(
        `'deregistrationDelaySeconds' (${delay}) exceeds 'podDrainSeconds' (${drain}): the ALB would send requests to a pod that stopped serving; lower the delay`,
      );
    }
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: {
          ...syncWave('workload'),
          [`${ALB}/scheme`]: props.scheme ?? 'internet-facing',
          [`${ALB}/target-type`]: 'ip',
          [`${ALB}/listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]',
          [`${ALB}/ssl-redirect`]: '443',
          [`${ALB}/healthcheck-path`]: PATHS.ready,
          [`${ALB}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${delay}`,
        },
      },
      spec: {
        ingressClassName: 'alb',
        tls: [{ hosts: [props.host] }],
        rules: [
          {
            host: props.host,
            http: {
              // Only the API and its docs: /metrics, /healthz and /readyz are not for the internet.
              paths: PUBLIC_ROUTES.map(({ path, match }) => ({
                path,
                pathType: match,
                backend: { service: { name: props.serviceName, port: { name: HTTP_PORT_NAME } } },
              })),
            },
          },
        ],
      },
    });
  }
}
