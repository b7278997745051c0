// The guard's identity and least-privilege access: a ServiceAccount (API token mounted, IRSA for its git secret)
// and namespaced Roles only: read Applications where Argo CD keeps them, read Deployments, pods and ReleasePolicies,
// write ReleasePolicy status and create Events in each environment's namespace, and manage its one Lease in its own
// namespace.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { RELEASE_POLICY_API } from '../release-policy';
import { boundRole } from './bound-role';

export interface GuardAccessProps {
  readonly name: string;
  readonly namespace: string;
  /** The IAM role the SecretStore assumes to read the git credentials (IRSA). */
  readonly roleArn: string;
  /** Where Argo CD's Applications live. */
  readonly argocdNamespace: string;
  /** The environments' namespaces. */
  readonly environmentNamespaces: readonly string[];
  /** The Lease the replicas elect a leader with. */
  readonly leaseName: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

const READ = ['get', 'list', 'watch'];

export class GuardAccess extends Construct {
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: GuardAccessProps) {
    super(scope, id);
    if (props.environmentNamespaces.includes(props.namespace) || props.namespace === props.argocdNamespace) {
      throw new Error(
        `'namespace' (${props.namespace}) must be the guard's own platform namespace, not an environment's or Argo CD's ('${props.argocdNamespace}'): give the guard a namespace of its own`,
      );
    }
    this.serviceAccountName = props.name;
    const labels = props.labels;
    new k8s.KubeServiceAccount(this, 'Account', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
      },
      // The guard calls the Kubernetes API: it needs its token.
      automountServiceAccountToken: true,
    });
    // Named after the namespace they grant in, so every Role has a distinct, readable name (and file).
    const account: k8s.Subject = { kind: 'ServiceAccount', name: props.name, namespace: props.namespace };
    const role = (id: string, namespace: string, rules: k8s.PolicyRule[]) =>
      boundRole(
        this,
        id,
        { name: `${props.name}-${namespace === props.namespace ? 'lease' : namespace}`, namespace, labels },
        account,
        rules,
      );
    const events: k8s.PolicyRule = { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] };
    // Read only: its Events go on the ReleasePolicies, in the environments' namespaces.
    role('ArgoCd', props.argocdNamespace, [{ apiGroups: ['argoproj.io'], resources: ['applications'], verbs: READ }]);
    props.environmentNamespaces.forEach((ns, k) =>
      role(`Env${k}`, ns, [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: READ },
        // The cluster reader counts restarts of the release's pods.
        { apiGroups: [''], resources: ['pods'], verbs: READ },
        // Its policy: it reads the spec and writes only the status subresource, never the spec.
        { apiGroups: [RELEASE_POLICY_API.group], resources: [RELEASE_POLICY_API.plural], verbs: READ },
        {
          apiGroups: [RELEASE_POLICY_API.group],
          resources: [`${RELEASE_POLICY_API.plural}/status`],
          verbs: ['update', 'patch'],
        },
        events,
      ]),
    );
    // `create` cannot be limited to a name (the object does not exist yet); everything else is.
    role('Lease', props.namespace, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: [props.leaseName],
        verbs: ['get', 'update'],
      },
    ]);
  }
}
