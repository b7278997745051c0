// The optional cluster: with `cluster.managedBy: 'this-stack'` the environment's stack creates an EKS cluster
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read untyped CloudFormation and YAML on purpose */
// (aws-eks-v2) with a managed node group in the node subnets and Auto Mode off, and the IRSA roles and the database
// trust that cluster's OIDC provider and security group instead of the platform team's inputs.
import { Template } from 'aws-cdk-lib/assertions';
import { parseEnvironmentSettings } from '../../settings/environments';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED, fixtureEnvironmentRaw } from '../support/aws-settings-fixture';
import { synthFixtureApp } from '../support/infra-app';

const raw = fixtureEnvironmentRaw('dev');
raw.cluster = {
  managedBy: 'this-stack',
  name: 'own',
  kubernetesVersion: '1.33',
  nodeInstanceType: 'm7g.large',
  nodes: { min: 2, max: 4 },
};
const dev = parseEnvironmentSettings('dev', raw, FIXTURE_SHARED);
const built = synthFixtureApp(FIXTURE_SHARED, { ...FIXTURE_ENVIRONMENTS, dev });
afterAll(() => built.cleanup());
const t = Template.fromStack(built.environments.dev);
const props = (type: string): [string, any][] =>
  Object.entries(t.findResources(type)).map(([id, r]) => [id, (r as any).Properties]);

test('an EKS cluster in the node subnets with a private endpoint, all control-plane logs and Auto Mode off', () => {
  const [[, cluster]] = props('AWS::EKS::Cluster') as [[string, any]];
  expect(cluster.Name).toBe('own');
  expect(cluster.Version).toBe('1.33');
  expect(cluster.ResourcesVpcConfig).toEqual(
    expect.objectContaining({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
  );
  expect(cluster.Logging.ClusterLogging.EnabledTypes).toHaveLength(5);
  expect(cluster.ComputeConfig?.Enabled ?? false).toBe(false);
  const nodeSubnetIds = props('AWS::EC2::Subnet')
    .filter(([, p]) => dev.network.nodeSubnets.includes(p.CidrBlock))
    .map(([id]) => id)
    .sort();
  expect(cluster.ResourcesVpcConfig.SubnetIds.map((s: any) => s.Ref).sort()).toEqual(nodeSubnetIds);
});

test('a managed node group of the set size and type in the node subnets', () => {
  const [[, group]] = props('AWS::EKS::Nodegroup') as [[string, any]];
  expect(group.ScalingConfig).toEqual(expect.objectContaining({ MinSize: 2, MaxSize: 4 }));
  expect(group.InstanceTypes).toEqual(['m7g.large']);
});

test("the database admits the cluster's security group, and the service role trusts the cluster's OIDC provider", () => {
  const [clusterId] = props('AWS::EKS::Cluster')[0]!;
  const dbRules = props('AWS::EC2::SecurityGroupIngress').map(([, p]) => JSON.stringify(p.SourceSecurityGroupId));
  expect(dbRules).toContain(JSON.stringify({ 'Fn::GetAtt': [clusterId, 'ClusterSecurityGroupId'] }));
  const [, role] = props('AWS::IAM::Role').find(([, p]) => p.RoleName === dev.serviceRoleName)!;
  const statement = role.AssumeRolePolicyDocument.Statement[0];
  expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
  expect(JSON.stringify(statement.Principal.Federated)).toMatch(/ClusterOidcProvider/);
  // The condition keys name the issuer, known only at deploy: CloudFormation builds them (CfnJson).
  expect(JSON.stringify(statement.Condition)).toMatch(/Conditions/);
});
