// The guard's git credentials, materialized by External Secrets from AWS Secrets Manager (authenticated through the
// guard's IRSA ServiceAccount) as the one HTTP header git sends to the git host. Git holds only the reference.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

const EXTERNAL_SECRETS_API = 'external-secrets.io/v1';

export interface GuardGitSecretProps {
  readonly namespace: string;
  readonly region: string;
  readonly serviceAccountName: string;
  /** The Secrets Manager secret: JSON with a `token` that may push to the gitops repository. */
  readonly remoteSecretName: string;
  /** The SecretStore and the Kubernetes Secret share this name. */
  readonly name: string;
  /** The key inside the Secret holding the header. */
  readonly headerKey: string;
  /** @default '1h' */
  readonly refreshInterval?: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

export class GuardGitSecret extends Construct {
  constructor(scope: Construct, id: string, props: GuardGitSecretProps) {
    super(scope, id);
    const refreshInterval = props.refreshInterval ?? '1h';
    if (!/^[1-9][0-9]*(s|m|h)$/.test(refreshInterval))
      throw new Error(`'refreshInterval' is '${refreshInterval}': use a duration such as '1h' or '15m'`);
    new ApiObject(this, 'Store', {
      apiVersion: EXTERNAL_SECRETS_API,
      kind: 'SecretStore',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: props.region,
            auth: { jwt: { serviceAccountRef: { name: props.serviceAccountName } } },
          },
        },
      },
    });
    new ApiObject(this, 'Secret', {
      apiVersion: EXTERNAL_SECRETS_API,
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        refreshInterval,
        secretStoreRef: { kind: 'SecretStore', name: props.name },
        target: {
          name: props.name,
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          // Basic auth with the token, the form GitHub and GitLab accept for HTTPS pushes.
          template: {
            engineVersion: 'v2',
            type: 'Opaque',
            mergePolicy: 'Replace',
            data: { [props.headerKey]: 'AUTHORIZATION: basic {{ printf "x-access-token:%s" .token | b64enc }}' },
          },
        },
        data: [{ secretKey: 'token', remoteRef: { key: props.remoteSecretName, property: 'token' } }],
      },
    });
  }
}
