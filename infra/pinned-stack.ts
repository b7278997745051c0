// A Stack whose account, region and availability zones come from settings: with an explicit env alone the CDK
// still asks AWS for the zones at synth, which needs credentials; here nothing is ever looked up.
import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface PinnedStackProps extends Omit<StackProps, 'env'> {
  readonly accountId: string;
  readonly region: string;
  /** @default none (a stack without a VPC needs no zones) */
  readonly availabilityZones?: readonly string[];
}

export class PinnedStack extends Stack {
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: PinnedStackProps) {
    const { accountId, region, availabilityZones, ...rest } = props;
    super(scope, id, { ...rest, env: { account: accountId, region } });
    this.zones = availabilityZones ?? [];
    if (this.zones.length > 0) {
      Validations.of(this).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason:
          'Zones are pinned in settings on purpose: each subnet has the CIDR the NetworkPolicies in gitops/ name, ' +
          'so the zone of each must not move with what an account happens to offer.',
      });
    }
  }

  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
