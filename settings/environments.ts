// The AWS settings, as data: the account-wide facts and one object per environment, validated when this module
// loads. infra/ builds the AWS resources from them; cdk8s/ derives every ARN, repository, secret name and CIDR it
// writes into gitops/ from the same objects (settings/derived.ts), so nothing is typed twice.
import {
  ENVIRONMENT_NAMES,
  environmentSettingsSchema,
  parseSettings,
  sharedSettingsSchema,
  type EnvironmentName,
  type EnvironmentSettings,
  type SharedSettings,
} from './schema';

// Inputs a platform team replaces before the first deploy (docs/aws.md, "Before the first deploy"): the account,
// the GitHub repository, and the platform cluster's OIDC issuer and node security group.
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export const SHARED_SETTINGS: SharedSettings = parseSettings(
  sharedSettingsSchema,
  {
    accountId: ACCOUNT,
    region: REGION,
    github: { repository: 'example/hello-app', mainBranch: 'main', oidcProvider: { mode: 'create' } },
    repositories: { service: 'hello-app', release: 'hello-release' },
    imageRetention: { keepImages: 300, untaggedDays: 7 },
    imagePushRoleName: 'hello-app-github-image-push',
    guard: {
      environment: 'prod',
      namespace: 'hello-platform',
      serviceAccount: 'hello-release-guard',
      roleName: 'hello-release-guard',
      gitSecretName: 'hello-app/platform/release-guard-git',
    },
  },
  'shared settings',
);

/** One environment's VPC: 10.<octet>.0.0/16, public /22s, database /20s, node (and pod) /19s. */
const network = (octet: number, natGateways: number) => ({
  vpcCidr: `10.${octet}.0.0/16`,
  publicSubnets: [0, 4, 8].map((third) => `10.${octet}.${third}.0/22`),
  databaseSubnets: [32, 48, 64].map((third) => `10.${octet}.${third}.0/20`),
  nodeSubnets: [128, 160, 192].map((third) => `10.${octet}.${third}.0/19`),
  natGateways,
  flowLogRetentionDays: 90,
});

const PLATFORM_CLUSTER = {
  managedBy: 'platform-team',
  name: 'hello-platform',
  oidcIssuer: `https://oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
  securityGroupId: 'sg-0123456789abcdef0',
};

const names = (env: EnvironmentName) => ({
  kubernetes: { namespace: `hello-${env}`, serviceAccount: 'hello-app' },
  serviceRoleName: `hello-app-${env}`,
  releaseRoleName: `hello-app-github-release-${env}`,
});

const raw: Record<EnvironmentName, unknown> = {
  dev: {
    name: 'dev',
    accountId: ACCOUNT,
    region: REGION,
    availabilityZones: AZS,
    network: network(10, 1),
    ...names('dev'),
    githubEnvironment: 'dev',
    database: {
      instanceIdentifier: 'hello-dev',
      databaseName: 'hello',
      port: 5432,
      secretName: 'hello-app/dev/database',
      instanceClass: 't4g.medium',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      multiAz: false,
      protect: false,
      backupRetentionDays: 3,
      rotationDays: 30,
      readReplica: false,
    },
    cluster: PLATFORM_CLUSTER,
  },
  staging: {
    name: 'staging',
    accountId: ACCOUNT,
    region: REGION,
    availabilityZones: AZS,
    network: network(20, 1),
    ...names('staging'),
    githubEnvironment: 'staging',
    database: {
      instanceIdentifier: 'hello-staging',
      databaseName: 'hello',
      port: 5432,
      secretName: 'hello-app/staging/database',
      instanceClass: 'm7g.large',
      allocatedStorageGiB: 50,
      maxAllocatedStorageGiB: 200,
      multiAz: true,
      protect: false,
      backupRetentionDays: 7,
      rotationDays: 30,
      readReplica: false,
    },
    cluster: PLATFORM_CLUSTER,
  },
  prod: {
    name: 'prod',
    accountId: ACCOUNT,
    region: REGION,
    availabilityZones: AZS,
    network: network(30, 3),
    ...names('prod'),
    githubEnvironment: 'production',
    database: {
      instanceIdentifier: 'hello-prod',
      databaseName: 'hello',
      port: 5432,
      secretName: 'hello-app/prod/database',
      instanceClass: 'm7g.large',
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 1000,
      multiAz: true,
      protect: true,
      backupRetentionDays: 14,
      rotationDays: 30,
      readReplica: false,
    },
    cluster: PLATFORM_CLUSTER,
  },
};

/** Validates one environment's settings against the shared ones; a bad value throws naming the field. */
export function parseEnvironmentSettings(
  name: EnvironmentName,
  value: unknown,
  shared: SharedSettings = SHARED_SETTINGS,
): EnvironmentSettings {
  const where = `AWS settings of '${name}'`;
  const env = parseSettings(environmentSettingsSchema, value, where);
  if (env.name !== name) throw new Error(`${where}: field 'name' is '${env.name}', expected '${name}'`);
  // The registry and the GitHub roles live in the shared account; pulling across accounts would need an ECR
  // repository policy this repository does not build.
  for (const field of ['accountId', 'region'] as const) {
    if (env[field] !== shared[field]) {
      throw new Error(`${where}: field '${field}' is '${env[field]}', but the shared settings' is '${shared[field]}'`);
    }
  }
  return env;
}

export const ENVIRONMENT_SETTINGS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = Object.freeze(
  Object.fromEntries(ENVIRONMENT_NAMES.map((n) => [n, parseEnvironmentSettings(n, raw[n])])) as Record<
    EnvironmentName,
    EnvironmentSettings
  >,
);
