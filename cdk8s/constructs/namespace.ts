// The environment's namespace, enforcing Pod Security "restricted" (and warning and auditing at the same level).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { neverPrune, syncWave } from '../sync-order';

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;

export interface HelloNamespaceProps {
  readonly name: string;
  /** @default no labels besides the Pod Security ones */
  readonly labels?: Record<string, string>;
  /** @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** The Kubernetes minor version the level is pinned to, so a cluster upgrade cannot silently change the rules. @default 'v1.28' */
  readonly podSecurityVersion?: string;
}

/** The Pod Security admission labels for a level, in all three modes. */
export function podSecurityLabels(level: PodSecurityLevel, version: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of POD_SECURITY_MODES) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return labels;
}

export class HelloNamespace extends Construct {
  constructor(scope: Construct, id: string, props: HelloNamespaceProps) {
    super(scope, id);
    const version = props.podSecurityVersion ?? 'v1.28';
    if (!/^v1\.\d+$|^latest$/.test(version)) {
      throw new Error(`'podSecurityVersion' is '${version}': use a Kubernetes minor version such as 'v1.28'`);
    }
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, ...podSecurityLabels(props.podSecurity ?? 'restricted', version) },
        annotations: { ...syncWave('namespace'), ...neverPrune() },
      },
    });
  }
}
