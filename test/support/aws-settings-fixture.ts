// AWS settings for rule tests, apart from the live ones in settings/environments.ts: another account, region,
// repository and CIDRs, each environment different where the rules differ (Multi-AZ, protection, replica, guard).
import { parseEnvironmentSettings } from '../../settings/environments';
import type { z } from 'zod';
import {
  ENVIRONMENT_NAMES,
  type environmentSettingsSchema,
  parseSettings,
  sharedSettingsSchema,
  type EnvironmentName,
  type EnvironmentSettings,
  type SharedSettings,
} from '../../settings/schema';

export type SharedSettingsInput = z.input<typeof sharedSettingsSchema>;
export type EnvironmentSettingsInput = z.input<typeof environmentSettingsSchema>;

export const fixtureSharedRaw = (): SharedSettingsInput => ({
  accountId: '111122223333',
  region: 'eu-central-1',
  github: { repository: 'acme/hello', mainBranch: 'trunk', oidcProvider: { mode: 'create' } },
  repositories: { service: 'svc', release: 'rel' },
  imageRetention: { keepImages: 50, untaggedDays: 3 },
  imagePushRoleName: 'push',
  guard: {
    environment: 'staging',
    namespace: 'plat',
    serviceAccount: 'guard',
    roleName: 'guard-role',
    gitSecretName: 'g/t',
  },
});

const OCTET: Record<EnvironmentName, number> = { dev: 51, staging: 52, prod: 53 };

export const fixtureEnvironmentRaw = (name: EnvironmentName): EnvironmentSettingsInput => {
  const o = OCTET[name];
  return {
    name,
    accountId: '111122223333',
    region: 'eu-central-1',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    network: {
      vpcCidr: `10.${o}.0.0/16`,
      publicSubnets: [`10.${o}.0.0/24`, `10.${o}.1.0/24`, `10.${o}.2.0/24`],
      nodeSubnets: [`10.${o}.64.0/20`, `10.${o}.80.0/20`, `10.${o}.96.0/20`],
      databaseSubnets: [`10.${o}.8.0/24`, `10.${o}.9.0/24`, `10.${o}.10.0/24`],
      natGateways: 1,
      flowLogRetentionDays: 30,
    },
    kubernetes: { namespace: `ns-${name}`, serviceAccount: `sa-${name}` },
    serviceRoleName: `svc-role-${name}`,
    releaseRoleName: `rel-role-${name}`,
    githubEnvironment: `gh-${name}`,
    database: {
      instanceIdentifier: `db-${name}`,
      databaseName: `app_${name}`,
      port: 5433,
      secretName: `db/${name}`,
      instanceClass: 't4g.small',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 40,
      multiAz: name !== 'dev',
      protect: name === 'prod',
      backupRetentionDays: 2,
      rotationDays: 10,
      readReplica: name === 'prod',
    },
    cluster: {
      managedBy: 'platform-team',
      name: `cluster-${name}`,
      oidcIssuer: `https://oidc.eks.eu-central-1.amazonaws.com/id/${String(o).repeat(16)}`,
      securityGroupId: `sg-0abc12${o}`,
    },
  };
};

export const FIXTURE_SHARED: SharedSettings = parseSettings(sharedSettingsSchema, fixtureSharedRaw(), 'fixture');

export const FIXTURE_ENVIRONMENTS: Record<EnvironmentName, EnvironmentSettings> = Object.fromEntries(
  ENVIRONMENT_NAMES.map((n) => [n, parseEnvironmentSettings(n, fixtureEnvironmentRaw(n), FIXTURE_SHARED)]),
) as Record<EnvironmentName, EnvironmentSettings>;
