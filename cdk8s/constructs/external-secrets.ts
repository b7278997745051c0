// The External Secrets objects both of the platform's secrets are made of: a SecretStore that reads AWS Secrets
// Manager as an IRSA ServiceAccount, and an ExternalSecret that renders one Kubernetes Secret from a Secrets Manager
// secret's JSON keys. Git holds only these references; no secret value is ever synthesized.
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

const EXTERNAL_SECRETS_API = 'external-secrets.io/v1';

/** The refresh interval, '1h' unless given; anything but a duration such as '15m' is rejected. */
export function refreshIntervalOf(value: string | undefined): string {
  const refreshInterval = value ?? '1h';
  if (!/^[1-9][0-9]*(s|m|h)$/.test(refreshInterval)) {
    throw new Error(`'refreshInterval' is '${refreshInterval}': use a duration such as '1h' or '15m'`);
  }
  return refreshInterval;
}

export interface SecretsManagerStoreProps {
  readonly metadata: ApiObjectMetadata;
  readonly region: string;
  /** The ServiceAccount (with the IRSA role) the store authenticates as. */
  readonly serviceAccountName: string;
}

export function secretsManagerStore(scope: Construct, id: string, props: SecretsManagerStoreProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API,
    kind: 'SecretStore',
    metadata: props.metadata,
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
}

export interface ExternalSecretProps {
  /** The ExternalSecret's metadata; its name is also the name of the Secret it creates. */
  readonly metadata: ApiObjectMetadata & { readonly name: string };
  readonly refreshInterval: string;
  readonly storeName: string;
  /** The Secrets Manager secret whose JSON keys are read. */
  readonly remoteSecretName: string;
  /** The JSON keys read, each available to the template as `.<key>`. */
  readonly properties: readonly string[];
  /** The Secret's keys: Go templates over the properties read. */
  readonly template: Record<string, string>;
}

export function externalSecret(scope: Construct, id: string, props: ExternalSecretProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API,
    kind: 'ExternalSecret',
    metadata: props.metadata,
    spec: {
      refreshInterval: props.refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: props.storeName },
      target: {
        name: props.metadata.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: { engineVersion: 'v2', type: 'Opaque', mergePolicy: 'Replace', data: props.template },
      },
      data: props.properties.map((property) => ({
        secretKey: property,
        remoteRef: { key: props.remoteSecretName, property },
      })),
    },
  });
}
