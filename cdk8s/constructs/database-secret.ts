// The database URL as a Kubernetes Secret, materialized by External Secrets from AWS Secrets Manager: a SecretStore
// that authenticates with the IRSA ServiceAccount, and an ExternalSecret that builds the URL from the RDS-attached
// secret (host, port, dbname, username, password), so the host is never typed and `verify-full` checks the name RDS
// put in its certificate. Git holds only references; no secret value is ever synthesized.
import { Construct } from 'constructs';
import type { k8s } from 'cdk8s-plus-28';
import { ENV } from '../../contract/runtime';
import { syncWave } from '../sync-order';
import { externalSecret, refreshIntervalOf, secretsManagerStore } from './external-secrets';

/** The keys RDS writes into the secret it attaches to a database instance, read to build the URL. */
export const RDS_SECRET_KEYS = ['host', 'port', 'dbname', 'username', 'password'] as const;

/** How the service's PostgreSQL client treats TLS (libpq `sslmode`). */
export type SslMode = 'verify-full' | 'require' | 'no-verify' | 'disable';

export interface DatabaseSecretProps {
  readonly namespace: string;
  readonly region: string;
  /** The ServiceAccount (with the IRSA role) the SecretStore authenticates as. */
  readonly serviceAccountName: string;
  /** The RDS-attached Secrets Manager secret: JSON with `host`, `port`, `dbname`, `username` and `password`. */
  readonly remoteSecretName: string;
  readonly storeName: string;
  /** The Kubernetes Secret to create. */
  readonly secretName: string;
  /** The key of the URL inside the Secret. */
  readonly urlKey: string;
  /** @default 'verify-full' (the image must trust the RDS certificate authority) */
  readonly sslMode?: SslMode;
  /** How often the secret is re-read (a rotated password reaches new pods within this time). @default '1h' */
  readonly refreshInterval?: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

export class DatabaseSecret extends Construct {
  /** The container env var that carries the URL, read from the materialized Secret. */
  readonly urlEnv: k8s.EnvVar;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    const refreshInterval = refreshIntervalOf(props.refreshInterval);
    secretsManagerStore(this, 'Store', {
      metadata: {
        name: props.storeName,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('secretStore'),
      },
      region: props.region,
      serviceAccountName: props.serviceAccountName,
    });
    // ExternalSecret templates are Go templates over the fetched keys; urlquery keeps special characters in the
    // user name and password from breaking the URL.
    const url =
      `postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .dbname }}` +
      `?sslmode=${props.sslMode ?? 'verify-full'}`;
    externalSecret(this, 'Secret', {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('secret'),
      },
      refreshInterval,
      storeName: props.storeName,
      remoteSecretName: props.remoteSecretName,
      properties: RDS_SECRET_KEYS,
      template: { [props.urlKey]: url },
    });
    this.urlEnv = { name: ENV.databaseUrl, valueFrom: { secretKeyRef: { name: props.secretName, key: props.urlKey } } };
  }
}
