// Each environment's stack keeps the promises the manifests rely on: the network at the settings' CIDRs and tags,
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read untyped CloudFormation and YAML on purpose */
// PostgreSQL encrypted, TLS-only, Multi-AZ and protected as the settings say, the database reachable only from the
// cluster, and IRSA roles trusting exactly one ServiceAccount each and reading only their secret. The app is
// synthesized once, from fixture settings, with cdk-nag and the CloudFormation rules on (a finding fails the synth).
import { Template } from 'aws-cdk-lib/assertions';
import { LOAD_BALANCER_SUBNET_TAGS } from '../../infra/network';
import { oidcProviderArn, releaseGroup, roleArn } from '../../settings/derived';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../settings/schema';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED } from '../support/aws-settings-fixture';
import { synthFixtureApp } from '../support/infra-app';
import { ruleTable } from '../support/rule-table';

const built = synthFixtureApp();
afterAll(() => built.cleanup());
const templates = Object.fromEntries(
  ENVIRONMENT_NAMES.map((n) => [n, Template.fromStack(built.environments[n])]),
) as Record<EnvironmentName, Template>;

type Res = { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const of = (env: EnvironmentName, type: string): [string, Res][] =>
  Object.entries(templates[env].findResources(type)) as [string, Res][];
const props = (env: EnvironmentName, type: string): any[] => of(env, type).map(([, r]) => r.Properties);
const tagsOf = (p: any): Record<string, string> => Object.fromEntries((p.Tags ?? []).map((t: any) => [t.Key, t.Value]));
const primary = (env: EnvironmentName) => props(env, 'AWS::RDS::DBInstance').find((p) => !p.SourceDBInstanceIdentifier);
const byRef = (env: EnvironmentName, ref: any): Res | undefined => templates[env].toJSON().Resources[ref?.Ref];

describe.each(ENVIRONMENT_NAMES)('environment %s', (name) => {
  const s = FIXTURE_ENVIRONMENTS[name];

  test('the VPC and its subnets have exactly the CIDRs and zones the settings (and the NetworkPolicies) name', () => {
    expect(props(name, 'AWS::EC2::VPC').map((p) => p.CidrBlock)).toEqual([s.network.vpcCidr]);
    const subnets = props(name, 'AWS::EC2::Subnet').map((p) => [p.CidrBlock, p.AvailabilityZone]);
    const want = [s.network.publicSubnets, s.network.nodeSubnets, s.network.databaseSubnets].flatMap((group) =>
      group.map((cidr, i) => [cidr, s.availabilityZones[i]]),
    );
    expect(subnets.sort()).toEqual(want.sort());
  });

  test.each([
    ['public', () => s.network.publicSubnets, { [LOAD_BALANCER_SUBNET_TAGS.public]: '1' }],
    ['node', () => s.network.nodeSubnets, { [LOAD_BALANCER_SUBNET_TAGS.internal]: '1' }],
    ['database', () => s.network.databaseSubnets, {}],
  ])('%s subnets carry the Load Balancer Controller tags meant for them, and no other', (_, cidrs, tags) => {
    const lbTags = (p: any) =>
      Object.fromEntries(Object.entries(tagsOf(p)).filter(([k]) => k.startsWith('kubernetes.io/role/')));
    for (const p of props(name, 'AWS::EC2::Subnet').filter((p) => cidrs().includes(p.CidrBlock))) {
      expect(lbTags(p)).toEqual(tags);
    }
  });

  test('the public subnets give no instance a public address; the database subnets have no route out', () => {
    const subnets = of(name, 'AWS::EC2::Subnet');
    for (const [, r] of subnets) expect(r.Properties.MapPublicIpOnLaunch ?? false).toBe(false);
    const dbSubnetIds = subnets
      .filter(([, r]) => s.network.databaseSubnets.includes(r.Properties.CidrBlock))
      .map(([id]) => id);
    const dbTables = props(name, 'AWS::EC2::SubnetRouteTableAssociation')
      .filter((p) => dbSubnetIds.includes(p.SubnetId.Ref))
      .map((p) => p.RouteTableId.Ref);
    expect(dbTables).toHaveLength(3);
    expect(props(name, 'AWS::EC2::Route').filter((p) => dbTables.includes(p.RouteTableId.Ref))).toEqual([]);
  });

  test('VPC endpoints for Secrets Manager, ECR (API and images), STS and S3; interface endpoints admit the node subnets only', () => {
    const services = props(name, 'AWS::EC2::VPCEndpoint').map((p) => JSON.stringify(p.ServiceName));
    for (const svc of ['secretsmanager', 'ecr.api', 'ecr.dkr', 'sts', 's3']) {
      expect(services.filter((x) => x.includes(`.${svc}`))).toHaveLength(1);
    }
    const endpointGroups = new Set(
      props(name, 'AWS::EC2::VPCEndpoint').flatMap((p) =>
        (p.SecurityGroupIds ?? []).map((g: any) => g['Fn::GetAtt'][0]),
      ),
    );
    expect(endpointGroups.size).toBe(1);
    const group = templates[name].toJSON().Resources[[...endpointGroups][0] as string].Properties;
    expect(group.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort, r.ToPort]).sort()).toEqual(
      s.network.nodeSubnets.map((c) => [c, 443, 443]).sort(),
    );
  });

  test('flow logs record all traffic of the VPC', () => {
    expect(props(name, 'AWS::EC2::FlowLog')).toEqual([
      expect.objectContaining({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' }),
    ]);
  });

  ruleTable<{ name: string; get: (p: any) => unknown; want: unknown }>(
    'the database',
    [
      { name: 'has gp3 storage', get: (p) => p.StorageType, want: 'gp3' },
      { name: 'has encrypted storage', get: (p) => p.StorageEncrypted, want: true },
      { name: 'has Performance Insights on', get: (p) => p.EnablePerformanceInsights, want: true },
      {
        name: 'keeps automated backups for the set days',
        get: (p) => p.BackupRetentionPeriod,
        want: s.database.backupRetentionDays,
      },
      { name: 'is Multi-AZ as the settings say', get: (p) => p.MultiAZ, want: s.database.multiAz },
      {
        name: 'has deletion protection as the settings say',
        get: (p) => p.DeletionProtection,
        want: s.database.protect,
      },
      {
        name: 'has the identifier, database name and port of the settings',
        get: (p) => [p.DBInstanceIdentifier, p.DBName, p.Port],
        want: [s.database.instanceIdentifier, s.database.databaseName, String(s.database.port)],
      },
      { name: 'runs PostgreSQL', get: (p) => p.Engine, want: 'postgres' },
    ],
    ({ get, want }) => expect(get(primary(name))).toEqual(want),
  );

  test('the database keeps a final snapshot when deleted exactly where it is protected', () => {
    const [, instance] = of(name, 'AWS::RDS::DBInstance').find(([, r]) => !r.Properties.SourceDBInstanceIdentifier)!;
    expect(instance.DeletionPolicy).toBe(s.database.protect ? 'Snapshot' : 'Delete');
  });

  test('its parameter group forces TLS (rds.force_ssl = 1)', () => {
    const group = byRef(name, primary(name).DBParameterGroupName)!;
    expect(group.Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
  });

  test('the read replica exists exactly where the settings ask, inherits encryption and forces TLS too', () => {
    const replicas = props(name, 'AWS::RDS::DBInstance').filter((p) => p.SourceDBInstanceIdentifier);
    expect(replicas).toHaveLength(s.database.readReplica ? 1 : 0);
    for (const r of replicas) {
      expect(r.StorageEncrypted).toBeUndefined();
      expect(byRef(name, r.DBParameterGroupName)!.Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
    }
  });

  test('the RDS-attached secret has the name cdk8s reads, and rotates on the set schedule', () => {
    const secrets = props(name, 'AWS::SecretsManager::Secret').map((p) => p.Name);
    expect(secrets).toContain(s.database.secretName);
    expect(props(name, 'AWS::SecretsManager::SecretTargetAttachment')).toHaveLength(1);
    expect(props(name, 'AWS::SecretsManager::RotationSchedule')).toEqual([
      expect.objectContaining({ RotationRules: { ScheduleExpression: `rate(${s.database.rotationDays} days)` } }),
    ]);
  });

  test("the database admits only the cluster's node/pod security group and the rotation function, on its port", () => {
    const dbGroups = primary(name).VPCSecurityGroups.map((g: any) => g['Fn::GetAtt'][0]);
    expect(dbGroups).toHaveLength(1);
    expect(templates[name].toJSON().Resources[dbGroups[0]].Properties.SecurityGroupIngress ?? []).toEqual([]);
    const [instanceId] = of(name, 'AWS::RDS::DBInstance').find(([, r]) => !r.Properties.SourceDBInstanceIdentifier)!;
    // The rotation function's rule names the port as the instance's endpoint port: the same number, read back.
    const port = (p: any) =>
      JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': [instanceId, 'Endpoint.Port'] }) ? s.database.port : p;
    const source = (id: any) => (typeof id === 'string' ? id : `${id['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')}`);
    const rules = props(name, 'AWS::EC2::SecurityGroupIngress')
      .filter((p) => p.GroupId['Fn::GetAtt']?.[0] === dbGroups[0])
      .map((r) => [source(r.SourceSecurityGroupId), r.CidrIp, r.IpProtocol, port(r.FromPort), port(r.ToPort)]);
    expect(rules.sort()).toEqual(
      [
        [(s.cluster as any).securityGroupId, undefined, 'tcp', s.database.port, s.database.port],
        ['DatabaseInstanceRotationSingleUserSecurityGroup', undefined, 'tcp', s.database.port, s.database.port],
      ].sort(),
    );
  });

  test('the service role trusts exactly system:serviceaccount:<namespace>:<serviceaccount> with audience sts.amazonaws.com', () => {
    const role = props(name, 'AWS::IAM::Role').find((p) => p.RoleName === s.serviceRoleName)!;
    const issuer = (s.cluster as any).oidcIssuer.replace('https://', '');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: oidcProviderArn(s.accountId, (s.cluster as any).oidcIssuer) },
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${s.kubernetes.namespace}:${s.kubernetes.serviceAccount}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ]);
  });

  test('the service role may read the database secret and nothing else', () => {
    const [roleId] = of(name, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === s.serviceRoleName)!;
    const policies = props(name, 'AWS::IAM::Policy').filter((p) => p.Roles.some((r: any) => r.Ref === roleId));
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const [secretId] = of(name, 'AWS::SecretsManager::Secret').find(
      ([, r]) => r.Properties.Name === s.database.secretName,
    )!;
    // The grant names the RDS attachment of that secret (its Ref is the same secret's ARN).
    const [attachmentId] = of(name, 'AWS::SecretsManager::SecretTargetAttachment').find(
      ([, r]) => r.Properties.SecretId.Ref === secretId,
    )!;
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: attachmentId },
      },
    ]);
  });

  test("the release role's access entry maps it to its environment's group in the cluster, with no access policy", () => {
    expect(props(name, 'AWS::EKS::AccessEntry')).toEqual([
      {
        ClusterName: s.cluster.name,
        PrincipalArn: roleArn(s.accountId, s.releaseRoleName),
        Type: 'STANDARD',
        KubernetesGroups: [releaseGroup(s)],
      },
    ]);
  });

  const hostsGuard = FIXTURE_SHARED.guard.environment === name;
  test(`the guard's role and git secret are ${hostsGuard ? 'here, trusting only its ServiceAccount and reading only that secret' : 'not here'}`, () => {
    const g = FIXTURE_SHARED.guard;
    const guard = of(name, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === g.roleName);
    const secret = of(name, 'AWS::SecretsManager::Secret').find(([, r]) => r.Properties.Name === g.gitSecretName);
    if (!hostsGuard) {
      expect([guard, secret]).toEqual([undefined, undefined]);
      return;
    }
    const issuer = (s.cluster as any).oidcIssuer.replace('https://', '');
    expect(guard![1].Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${g.namespace}:${g.serviceAccount}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    const statements = props(name, 'AWS::IAM::Policy')
      .filter((p) => p.Roles.some((r: any) => r.Ref === guard![0]))
      .flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: secret![0] },
      },
    ]);
  });
});
