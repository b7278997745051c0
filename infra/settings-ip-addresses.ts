// Subnet CIDRs from settings instead of the CDK's own split: the NetworkPolicies in gitops/ name these exact ranges,
// so the VPC must allocate them, one per availability zone and subnet group, in the zones' order.
import type { AllocateCidrRequest, IIpAddresses, SubnetIpamOptions, VpcIpamOptions } from 'aws-cdk-lib/aws-ec2';

export class SettingsIpAddresses implements IIpAddresses {
  /**
   * @param vpcCidr the VPC's range
   * @param subnets per subnet group name (the VPC's subnetConfiguration names), one CIDR per zone
   * @param zones the availability zones, in the order of `subnets`' lists
   */
  constructor(
    private readonly vpcCidr: string,
    private readonly subnets: Readonly<Record<string, readonly string[]>>,
    private readonly zones: readonly string[],
  ) {}

  allocateVpcCidr(): VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: AllocateCidrRequest): SubnetIpamOptions {
    return {
      allocatedSubnets: input.requestedSubnets.map((s) => {
        const group = s.configuration.name;
        const cidr = this.subnets[group]?.[this.zones.indexOf(s.availabilityZone)];
        if (cidr === undefined) {
          throw new Error(`no CIDR in settings for subnet group '${group}' in zone '${s.availabilityZone}'`);
        }
        return { cidr };
      }),
    };
  }
}
