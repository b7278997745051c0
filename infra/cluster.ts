// Where the environment's pods run, as the stacks see it: by default the platform team's EKS cluster, taken as its
// OIDC issuer and node/pod security group; optionally (settings `cluster.managedBy: 'this-stack'`) an aws-eks-v2
// cluster with a managed node group in the node subnets, Auto Mode off since the manifests assume the AWS Load
// Balancer Controller. Add-ons (External Secrets, the controller, Prometheus, Argo CD) come from argocd/, not here.
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Validations } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import { oidcProviderArn } from '../settings/derived';
import type { EnvironmentSettings } from '../settings/schema';
import { STS_AUDIENCE } from './irsa-role';
import { SUBNET_GROUPS } from './network';

/** What IRSA roles and the database need from a cluster. */
export interface ClusterAccess {
  /** The cluster's name (a reference to the cluster when this stack creates it). */
  readonly clusterName: string;
  readonly oidcProvider: Pick<iam.IOidcProvider, 'openIdConnectProviderArn'>;
  readonly oidcIssuer: string;
  /** The nodes' and pods' security group. */
  readonly securityGroup: ec2.ISecurityGroup;
}

export function clusterAccess(scope: Construct, settings: EnvironmentSettings, vpc: ec2.IVpc): ClusterAccess {
  const cluster = settings.cluster;
  if (cluster.managedBy === 'platform-team') {
    return {
      clusterName: cluster.name,
      oidcProvider: iam.OidcProviderNative.fromOidcProviderArn(
        scope,
        'ClusterOidcProvider',
        oidcProviderArn(settings.accountId, cluster.oidcIssuer),
      ),
      oidcIssuer: cluster.oidcIssuer,
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(scope, 'ClusterSecurityGroup', cluster.securityGroupId, {
        mutable: false,
      }),
    };
  }
  const created = new eks.Cluster(scope, 'Cluster', {
    clusterName: cluster.name,
    version: eks.KubernetesVersion.of(cluster.kubernetesVersion),
    vpc,
    vpcSubnets: [{ subnetGroupName: SUBNET_GROUPS.nodes }],
    endpointAccess: eks.EndpointAccess.PRIVATE,
    clusterLogging: [
      eks.ClusterLoggingTypes.API,
      eks.ClusterLoggingTypes.AUDIT,
      eks.ClusterLoggingTypes.AUTHENTICATOR,
      eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
      eks.ClusterLoggingTypes.SCHEDULER,
    ],
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  const nodes = created.addNodegroupCapacity('Nodes', {
    instanceTypes: [new ec2.InstanceType(cluster.nodeInstanceType)],
    minSize: cluster.nodes.min,
    maxSize: cluster.nodes.max,
    subnets: { subnetGroupName: SUBNET_GROUPS.nodes },
  });
  const managed = (role: Construct, policies: string[]) =>
    Validations.of(role).acknowledge(
      ...policies.map((policy) => ({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        reason: `EKS documents ${policy} as what this role needs; AWS keeps it current with the service.`,
      })),
    );
  managed(created.role, ['AmazonEKSClusterPolicy']);
  managed(nodes.role, ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']);
  // IAM's own OIDC provider resource (the CDK's custom-resource one is deprecated); its issuer comes without https://.
  const provider = new iam.OidcProviderNative(scope, 'ClusterOidcProvider', {
    url: created.clusterOpenIdConnectIssuerUrl,
    clientIds: [STS_AUDIENCE],
  });
  return {
    clusterName: created.clusterName,
    oidcProvider: provider,
    oidcIssuer: provider.oidcProviderIssuer,
    securityGroup: created.clusterSecurityGroup,
  };
}
