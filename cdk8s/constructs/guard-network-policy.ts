// The guard's network isolation: default-deny in its namespace; its pods may send only to the Kubernetes API
// server, Prometheus and the git host (plus cluster DNS, without which none of those names resolve), and may be
// reached only by Prometheus scraping its metrics port.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { NAMESPACE_NAME_LABEL } from '../names';

export interface GuardNetworkPolicyProps {
  readonly namespace: string;
  readonly podSelector: Record<string, string>;
  readonly metricsPort: number;
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
  readonly prometheus: {
    readonly namespace: string;
    readonly podLabels: Record<string, string>;
    readonly port: number;
  };
  readonly gitHost: { readonly cidrs: readonly string[]; readonly port: number };
  readonly dns: { readonly namespace: string; readonly podLabels: Record<string, string> };
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

export class GuardNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: GuardNetworkPolicyProps) {
    super(scope, id);
    if (props.apiServer.cidrs.some((c) => c.endsWith('/0')) || props.gitHost.cidrs.some((c) => c.endsWith('/0'))) {
      throw new Error(
        `'apiServer.cidrs' and 'gitHost.cidrs' must not contain a /0 range (${[...props.apiServer.cidrs, ...props.gitHost.cidrs].join(', ')}): name the hosts' own ranges`,
      );
    }
    const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
    const inNamespace = (ns: string, podLabels: Record<string, string>): k8s.NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
      podSelector: { matchLabels: podLabels },
    });
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, namespace: props.namespace, labels: props.labels },
        spec,
      });
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('release-guard-egress', {
      podSelector: { matchLabels: props.podSelector },
      policyTypes: ['Egress'],
      egress: [
        { to: props.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.apiServer.port)] },
        {
          to: [inNamespace(props.prometheus.namespace, props.prometheus.podLabels)],
          ports: [tcp(props.prometheus.port)],
        },
        { to: props.gitHost.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.gitHost.port)] },
        {
          to: [inNamespace(props.dns.namespace, props.dns.podLabels)],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
        },
      ],
    });
    policy('release-guard-metrics-in', {
      podSelector: { matchLabels: props.podSelector },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [inNamespace(props.prometheus.namespace, props.prometheus.podLabels)],
          ports: [tcp(props.metricsPort)],
        },
      ],
    });
  }
}
