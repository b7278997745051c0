// The AWS settings reject what would build a broken network or identity, naming the environment and the field;
// the fixture is a valid environment of its own, not the live settings.
import { parseEnvironmentSettings } from '../../settings/environments';
import { parseSettings, sharedSettingsSchema, type SharedSettings } from '../../settings/schema';
import {
  FIXTURE_SHARED,
  fixtureEnvironmentRaw,
  fixtureSharedRaw,
  type EnvironmentSettingsInput,
} from '../support/aws-settings-fixture';
import { ruleTable } from '../support/rule-table';
import { awsFacts, guardAwsFacts, oidcProviderArn } from '../../settings/derived';

const SHARED: SharedSettings = FIXTURE_SHARED;
const env = () => fixtureEnvironmentRaw('staging');

test('a valid environment parses and yields the facts cdk8s writes, derived from names', () => {
  const facts = awsFacts(parseEnvironmentSettings('staging', env(), SHARED), SHARED);
  expect(facts).toEqual({
    accountId: '111122223333',
    region: 'eu-central-1',
    namespace: 'ns-staging',
    serviceAccountName: 'sa-staging',
    serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/svc-role-staging',
    releaseGroup: 'hello-app-release-staging',
    imageRepository: '111122223333.dkr.ecr.eu-central-1.amazonaws.com/svc',
    databaseSecretName: 'db/staging',
    databasePort: 5433,
    databaseCidrs: ['10.52.8.0/24', '10.52.9.0/24', '10.52.10.0/24'],
    loadBalancerCidrs: ['10.52.0.0/24', '10.52.1.0/24', '10.52.2.0/24'],
  });
});

test("the guard reaches the API server in its host environment's node subnets, with its role in the account", () => {
  const g = guardAwsFacts(SHARED, parseEnvironmentSettings('staging', env(), SHARED));
  expect(g.apiServerCidrs).toEqual(['10.52.64.0/20', '10.52.80.0/20', '10.52.96.0/20']);
  expect(g.roleArn).toBe('arn:aws:iam::111122223333:role/guard-role');
  expect(g.imageRepository).toBe('111122223333.dkr.ecr.eu-central-1.amazonaws.com/rel');
  expect(g.gitopsRepository).toBe('https://github.com/acme/hello.git');
});

test("the OIDC provider's ARN is the issuer without its scheme", () => {
  expect(oidcProviderArn('111122223333', 'https://oidc.eks.x.amazonaws.com/id/AB')).toBe(
    'arn:aws:iam::111122223333:oidc-provider/oidc.eks.x.amazonaws.com/id/AB',
  );
});

type Mutate = (e: EnvironmentSettingsInput) => unknown;
ruleTable<{ name: string; mutate: Mutate; message: string }>(
  'bad AWS settings are refused, naming the environment and the field',
  [
    {
      name: 'a CIDR past 255',
      mutate: (e) => (e.network.publicSubnets[0] = '10.52.256.0/24'),
      message: "field 'network.publicSubnets.0'",
    },
    {
      name: 'a CIDR not at its range start',
      mutate: (e) => (e.network.vpcCidr = '10.52.0.1/16'),
      message: "field 'network.vpcCidr'",
    },
    {
      name: 'a subnet outside the VPC',
      mutate: (e) => (e.network.databaseSubnets[2] = '10.99.10.0/24'),
      message: "field 'network.databaseSubnets.2': '10.99.10.0/24' is outside the VPC '10.52.0.0/16'",
    },
    {
      name: 'overlapping subnets',
      mutate: (e) => (e.network.nodeSubnets[0] = '10.52.0.0/20'),
      message: "field 'network.publicSubnets.0': '10.52.0.0/24' overlaps '10.52.0.0/20' (network.nodeSubnets.0)",
    },
    {
      name: 'two subnets for three AZs',
      mutate: (e) => e.network.nodeSubnets.pop(),
      message: "field 'network.nodeSubnets'",
    },
    {
      name: 'an AZ of another region',
      mutate: (e) => (e.availabilityZones[1] = 'eu-west-1b'),
      message: "field 'availabilityZones.1': 'eu-west-1b' is not in region 'eu-central-1'",
    },
    {
      name: 'a role name with a slash',
      mutate: (e) => (e.serviceRoleName = 'a/b'),
      message: "field 'serviceRoleName'",
    },
    {
      name: 'an OIDC issuer that is not EKS',
      mutate: (e) => Object.assign(e.cluster, { oidcIssuer: 'https://example.com' }),
      message: "field 'cluster.oidcIssuer'",
    },
    {
      name: 'storage that may not grow',
      mutate: (e) => (e.database.maxAllocatedStorageGiB = 10),
      message: "field 'database.maxAllocatedStorageGiB'",
    },
    {
      name: 'another account than the registry',
      mutate: (e) => (e.accountId = '444455556666'),
      message: "field 'accountId' is '444455556666', but the shared settings' is '111122223333'",
    },
    {
      name: 'a derived value typed in',
      mutate: (e) => Object.assign(e, { roleArn: 'arn:aws:iam::1:role/x' }),
      message: 'Unrecognized key: "roleArn"',
    },
  ],
  ({ mutate, message }) => {
    const e = env();
    mutate(e);
    expect(() => parseEnvironmentSettings('staging', e, SHARED)).toThrow(`AWS settings of 'staging': `);
    expect(() => parseEnvironmentSettings('staging', e, SHARED)).toThrow(message);
  },
);

test('an imported GitHub OIDC provider must be the GitHub one', () => {
  const s = fixtureSharedRaw();
  s.github.oidcProvider = { mode: 'import', arn: 'arn:aws:iam::111122223333:oidc-provider/example.com' };
  expect(() => parseSettings(sharedSettingsSchema, s, 'shared')).toThrow("shared: field 'github.oidcProvider.arn'");
});
