// How many API pods run: a HorizontalPodAutoscaler between the environment's bounds on CPU, and a
// PodDisruptionBudget so voluntary disruptions (node drains, upgrades) take at most one pod at a time.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { syncWave } from '../sync-order';

export interface AvailabilityProps {
  readonly name: string;
  readonly namespace: string;
  /** The Deployment the autoscaler scales. */
  readonly deploymentName: string;
  readonly selector: Record<string, string>;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilisation, percent of the requests. */
  readonly targetCpuUtilization: number;
  /** @default no labels */
  readonly labels?: Record<string, string>;
  /** Pods a voluntary disruption may take down at once. @default 1 */
  readonly maxUnavailable?: number;
  /** Seconds of lower load before scaling down (avoids flapping). @default 300 */
  readonly scaleDownStabilizationSeconds?: number;
}

export class Availability extends Construct {
  constructor(scope: Construct, id: string, props: AvailabilityProps) {
    super(scope, id);
    const maxUnavailable = props.maxUnavailable ?? 1;
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
      throw new Error(`'maxUnavailable' is ${maxUnavailable}: it must be at least 1, or node drains block forever`);
    }
    const metadata = {
      name: props.name,
      namespace: props.namespace,
      labels: props.labels,
      annotations: syncWave('workload'),
    };
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.targetCpuUtilization } },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: props.scaleDownStabilizationSeconds ?? 300 } },
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: { selector: { matchLabels: props.selector }, maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable) },
    });
  }
}
