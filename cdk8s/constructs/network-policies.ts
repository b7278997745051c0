// Network isolation, decided explicitly: everything in the namespace is denied in both directions, then the API
// pods may receive on their port from the load balancer and Prometheus only, and the app's pods (API and
// migration) may send only to the database subnets and to cluster DNS.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { NAMESPACE_NAME_LABEL } from '../names';
import { syncWave } from '../sync-order';

export interface NetworkPoliciesProps {
  readonly namespace: string;
  /** Pods that serve HTTP (the API). */
  readonly servingPods: Record<string, string>;
  /** Pods that talk to the database (API and migration). */
  readonly databaseClients: Record<string, string>;
  readonly httpPort: number;
  readonly databasePort: number;
  readonly databaseCidrs: readonly string[];
  /** Namespaces allowed to reach the serving pods' port (ingress controller, monitoring). */
  readonly clientNamespaces: readonly string[];
  /** Address ranges allowed to reach the serving pods' port (the ALB's subnets with target type ip). @default none */
  readonly clientCidrs?: readonly string[];
  readonly dns: { readonly namespace: string; readonly podLabels: Record<string, string> };
  /** @default no labels */
  readonly labels?: Record<string, string>;
  /** Object name prefix. @default 'hello-app' */
  readonly prefix?: string;
}

export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    if (props.databaseCidrs.length === 0) {
      throw new Error(`'databaseCidrs' is empty: the app could reach no database; list the DB subnet CIDRs`);
    }
    if (props.clientNamespaces.length === 0 && (props.clientCidrs ?? []).length === 0) {
      throw new Error(
        `'clientNamespaces' and 'clientCidrs' are both empty: nothing could reach the app; name the ingress controller's namespace`,
      );
    }
    for (const cidr of [...props.databaseCidrs, ...(props.clientCidrs ?? [])]) {
      if (/^0\.0\.0\.0\/0$/.test(cidr))
        throw new Error(`CIDR '${cidr}' allows every address: list the specific subnets`);
    }
    const prefix = props.prefix ?? 'hello-app';
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: {
          name: `${prefix}-${name}`,
          namespace: props.namespace,
          labels: props.labels,
          annotations: syncWave('foundation'),
        },
        spec,
      });
    const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    policy('allow-http-in', {
      podSelector: { matchLabels: props.servingPods },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            ...props.clientNamespaces.map((ns) => ({
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
            })),
            ...(props.clientCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
          ],
          ports: [tcp(props.httpPort)],
        },
      ],
    });

    policy('allow-database-and-dns-out', {
      podSelector: { matchLabels: props.databaseClients },
      policyTypes: ['Egress'],
      egress: [
        { to: props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.databasePort)] },
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.dns.namespace } },
              podSelector: { matchLabels: props.dns.podLabels },
            },
          ],
          ports: [
            { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
          ],
        },
      ],
    });
  }
}
