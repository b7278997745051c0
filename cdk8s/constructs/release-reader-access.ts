// What release.yml's job for an environment may read in the cluster, and nothing more: `verify` reads the
// environment's Argo CD Application (by name, in Argo CD's namespace), its Deployment, its pods (restarts) and its
// ReleasePolicy. The job's AWS role is mapped to a Kubernetes group by its EKS access entry (infra/); these Roles are
// bound to that group. Reads only, each verb the release tool uses (test/platform/release-reader-access.test.ts
// holds them to the calls it makes).
import { Construct } from 'constructs';
import { type k8s } from 'cdk8s-plus-28';
import { RELEASE_POLICY_API } from '../release-policy';
import { syncWave } from '../sync-order';
import { boundRole } from './bound-role';

/** The Roles' and RoleBindings' name in the environment's namespace; in Argo CD's, the environment follows it. */
export const RELEASE_READER = 'hello-app-release-reader';

interface ReaderProps {
  /** The Kubernetes group release.yml's role for the environment is in. */
  readonly group: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

const groupSubject = (group: string): k8s.Subject => ({
  apiGroup: 'rbac.authorization.k8s.io',
  kind: 'Group',
  name: group,
});

/** In the environment's namespace: the Deployment, the pods and the ReleasePolicy. */
export class ReleaseReaderAccess extends Construct {
  constructor(scope: Construct, id: string, props: ReaderProps & { readonly namespace: string }) {
    super(scope, id);
    boundRole(
      this,
      '',
      { name: RELEASE_READER, namespace: props.namespace, labels: props.labels, annotations: syncWave('foundation') },
      groupSubject(props.group),
      [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [RELEASE_POLICY_API.group], resources: [RELEASE_POLICY_API.plural], verbs: ['list'] },
      ],
    );
  }
}

/** In Argo CD's namespace: the environment's own Application, by name. */
export class ReleaseReaderApplicationAccess extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: ReaderProps & {
      readonly environment: string;
      readonly argocdNamespace: string;
      readonly application: string;
    },
  ) {
    super(scope, id);
    boundRole(
      this,
      '',
      { name: `${RELEASE_READER}-${props.environment}`, namespace: props.argocdNamespace, labels: props.labels },
      groupSubject(props.group),
      [{ apiGroups: ['argoproj.io'], resources: ['applications'], resourceNames: [props.application], verbs: ['get'] }],
    );
  }
}
