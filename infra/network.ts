// One environment's VPC: public, node and database subnets over three zones at the CIDRs the NetworkPolicies name,
// tagged for the AWS Load Balancer Controller, with private endpoints for what pods and nodes call (Secrets Manager,
// ECR, STS, S3) and flow logs of all traffic.
import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentSettings } from '../settings/schema';
import { SettingsIpAddresses } from './settings-ip-addresses';

/** The subnet groups, by the name each carries in the VPC. */
export const SUBNET_GROUPS = { public: 'public', nodes: 'nodes', database: 'database' } as const;

/** The tags the AWS Load Balancer Controller discovers subnets by: internet-facing ALBs, internal ones. */
export const LOAD_BALANCER_SUBNET_TAGS = {
  public: 'kubernetes.io/role/elb',
  internal: 'kubernetes.io/role/internal-elb',
} as const;

/** Interface endpoints: External Secrets and the rotation function (Secrets Manager), image pulls (ECR), IRSA (STS). */
const INTERFACE_ENDPOINTS = {
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
};

export interface NetworkProps {
  readonly settings: EnvironmentSettings;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { network, availabilityZones } = props.settings;
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: network.flowLogRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: new SettingsIpAddresses(
        network.vpcCidr,
        {
          [SUBNET_GROUPS.public]: network.publicSubnets,
          [SUBNET_GROUPS.nodes]: network.nodeSubnets,
          [SUBNET_GROUPS.database]: network.databaseSubnets,
        },
        availabilityZones,
      ),
      availabilityZones: [...availabilityZones],
      natGateways: network.natGateways,
      subnetConfiguration: [
        { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        { name: SUBNET_GROUPS.nodes, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: SUBNET_GROUPS.database, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add(LOAD_BALANCER_SUBNET_TAGS.public, '1');
    for (const subnet of this.vpc.privateSubnets) Tags.of(subnet).add(LOAD_BALANCER_SUBNET_TAGS.internal, '1');

    const nodes = { subnetGroupName: SUBNET_GROUPS.nodes };
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [nodes] });
    // The endpoints admit HTTPS from the node subnets only, where nodes, pods and the rotation function run.
    const endpointClients = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from the node subnets',
      allowAllOutbound: false,
    });
    for (const cidr of network.nodeSubnets) {
      endpointClients.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from a node subnet');
    }
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets: nodes,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpointClients],
      });
    }
  }
}
