// The guard's git credentials, materialized by External Secrets from AWS Secrets Manager (authenticated through the
// guard's IRSA ServiceAccount) as the one HTTP header git sends to the git host. Git holds only the reference.
import { Construct } from 'constructs';
import { externalSecret, refreshIntervalOf, secretsManagerStore } from './external-secrets';

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
    const refreshInterval = refreshIntervalOf(props.refreshInterval);
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    secretsManagerStore(this, 'Store', {
      metadata,
      region: props.region,
      serviceAccountName: props.serviceAccountName,
    });
    externalSecret(this, 'Secret', {
      metadata,
      refreshInterval,
      storeName: props.name,
      remoteSecretName: props.remoteSecretName,
      properties: ['token'],
      // Basic auth with the token, the form GitHub and GitLab accept for HTTPS pushes.
      template: { [props.headerKey]: 'AUTHORIZATION: basic {{ printf "x-access-token:%s" .token | b64enc }}' },
    });
  }
}
