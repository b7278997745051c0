// The AWS settings reject what would build a broken network or identity, naming the environment and the field;
// the fixture is a valid environment of its own, not the live settings.
import { parseEnvironmentSettings } from '../../settings/environments';
import { parseSettings, sharedSettingsSchema, type SharedSettings } from '../../settings/schema';
import { awsFacts, guardAwsFacts, oidcProviderArn } from '../../settings/derived';

const shared = (): any => ({
  accountId: '111122223333',
  region: 'eu-central-1',
  github: { repository: 'acme/hello', mainBranch: 'main', oidcProvider: { mode: 'create' } },
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
const SHARED: SharedSettings = parseSettings(sharedSettingsSchema, shared(), 'shared');

const env = (): any => ({
  name: 'staging',
  accountId: '111122223333',
  region: 'eu-central-1',
  availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  network: {
    vpcCidr: '10.50.0.0/16',
    publicSubnets: ['10.50.0.0/24', '10.50.1.0/24', '10.50.2.0/24'],
    nodeSubnets: ['10.50.64.0/20', '10.50.80.0/20', '10.50.96.0/20'],
    databaseSubnets: ['10.50.8.0/24', '10.50.9.0/24', '10.50.10.0/24'],
    natGateways: 1,
    flowLogRetentionDays: 30,
  },
  kubernetes: { namespace: 'ns-a', serviceAccount: 'sa-a' },
  serviceRoleName: 'svc-role',
  releaseRoleName: 'rel-role',
  githubEnvironment: 'stage',
  database: {
    instanceIdentifier: 'db-a',
    databaseName: 'app',
    port: 5433,
    secretName: 'a/b',
    instanceClass: 't4g.small',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 40,
    multiAz: true,
    protect: false,
    backupRetentionDays: 2,
    rotationDays: 10,
    readReplica: false,
  },
  cluster: {
    managedBy: 'platform-team',
    name: 'c',
    oidcIssuer: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    securityGroupId: 'sg-0abc1234',
  },
});

test('a valid environment parses and yields the facts cdk8s writes, derived from names', () => {
  const facts = awsFacts(parseEnvironmentSettings('staging', env(), SHARED), SHARED);
  expect(facts).toEqual({
    accountId: '111122223333',
    region: 'eu-central-1',
    namespace: 'ns-a',
    serviceAccountName: 'sa-a',
    serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/svc-role',
    imageRepository: '111122223333.dkr.ecr.eu-central-1.amazonaws.com/svc',
    databaseSecretName: 'a/b',
    databasePort: 5433,
    databaseCidrs: ['10.50.8.0/24', '10.50.9.0/24', '10.50.10.0/24'],
    loadBalancerCidrs: ['10.50.0.0/24', '10.50.1.0/24', '10.50.2.0/24'],
  });
});

test("the guard reaches the API server in its host environment's node subnets, with its role in the account", () => {
  const g = guardAwsFacts(SHARED, parseEnvironmentSettings('staging', env(), SHARED));
  expect(g.apiServerCidrs).toEqual(['10.50.64.0/20', '10.50.80.0/20', '10.50.96.0/20']);
  expect(g.roleArn).toBe('arn:aws:iam::111122223333:role/guard-role');
  expect(g.imageRepository).toBe('111122223333.dkr.ecr.eu-central-1.amazonaws.com/rel');
  expect(g.gitopsRepository).toBe('https://github.com/acme/hello.git');
});

test("the OIDC provider's ARN is the issuer without its scheme", () => {
  expect(oidcProviderArn('111122223333', 'https://oidc.eks.x.amazonaws.com/id/AB')).toBe(
    'arn:aws:iam::111122223333:oidc-provider/oidc.eks.x.amazonaws.com/id/AB',
  );
});

test.each([
  ['a CIDR past 255', (e: any) => (e.network.publicSubnets[0] = '10.50.256.0/24'), "field 'network.publicSubnets.0'"],
  ['a CIDR not at its range start', (e: any) => (e.network.vpcCidr = '10.50.0.1/16'), "field 'network.vpcCidr'"],
  [
    'a subnet outside the VPC',
    (e: any) => (e.network.databaseSubnets[2] = '10.51.10.0/24'),
    "field 'network.databaseSubnets.2': '10.51.10.0/24' is outside the VPC '10.50.0.0/16'",
  ],
  [
    'overlapping subnets',
    (e: any) => (e.network.nodeSubnets[0] = '10.50.0.0/20'),
    "field 'network.publicSubnets.0': '10.50.0.0/24' overlaps '10.50.0.0/20' (network.nodeSubnets.0)",
  ],
  ['two subnets for three AZs', (e: any) => e.network.nodeSubnets.pop(), "field 'network.nodeSubnets'"],
  [
    'an AZ of another region',
    (e: any) => (e.availabilityZones[1] = 'eu-west-1b'),
    "field 'availabilityZones.1': 'eu-west-1b' is not in region 'eu-central-1'",
  ],
  ['a role name with a slash', (e: any) => (e.serviceRoleName = 'a/b'), "field 'serviceRoleName'"],
  [
    'an OIDC issuer that is not EKS',
    (e: any) => (e.cluster.oidcIssuer = 'https://example.com'),
    "field 'cluster.oidcIssuer'",
  ],
  [
    'storage that may not grow',
    (e: any) => (e.database.maxAllocatedStorageGiB = 10),
    "field 'database.maxAllocatedStorageGiB'",
  ],
  [
    'another account than the registry',
    (e: any) => (e.accountId = '444455556666'),
    "field 'accountId' is '444455556666', but the shared settings' is '111122223333'",
  ],
  ['a derived value typed in', (e: any) => (e.roleArn = 'arn:aws:iam::1:role/x'), 'Unrecognized key: "roleArn"'],
])('%s is refused, naming the environment and the field', (_, mutate, message) => {
  const e = env();
  mutate(e);
  expect(() => parseEnvironmentSettings('staging', e, SHARED)).toThrow(`AWS settings of 'staging': `);
  expect(() => parseEnvironmentSettings('staging', e, SHARED)).toThrow(message);
});

test('an imported GitHub OIDC provider must be the GitHub one', () => {
  const s = shared();
  s.github.oidcProvider = { mode: 'import', arn: 'arn:aws:iam::111122223333:oidc-provider/example.com' };
  expect(() => parseSettings(sharedSettingsSchema, s, 'shared')).toThrow("shared: field 'github.oidcProvider.arn'");
});
