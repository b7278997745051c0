// One environment's AWS side: its network, its database and secret, the IRSA roles of the pods that use them (the
// service's, and the release guard's where the guard runs), and the release role's access entry to the cluster. Names come from settings, so the ARNs cdk8s
// writes into gitops/ are the ones created here.
import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { releaseGroup, roleArn } from '../settings/derived';
import type { EnvironmentSettings, SharedSettings } from '../settings/schema';
import { clusterAccess } from './cluster';
import { Database } from './database';
import { irsaRole } from './irsa-role';
import { Network } from './network';
import { PinnedStack } from './pinned-stack';

export interface EnvironmentStackProps {
  readonly settings: EnvironmentSettings;
  readonly shared: SharedSettings;
}

export class EnvironmentStack extends PinnedStack {
  readonly network: Network;
  readonly database: Database;
  readonly serviceRole: iam.Role;
  readonly guardRole?: iam.Role;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { settings, shared } = props;
    super(scope, id, {
      accountId: settings.accountId,
      region: settings.region,
      availabilityZones: settings.availabilityZones,
      description: `Hello App ${settings.name}: VPC, PostgreSQL (RDS), its secret, IRSA roles`,
      terminationProtection: settings.database.protect,
    });
    this.network = new Network(this, 'Network', { settings });
    const cluster = clusterAccess(this, settings, this.network.vpc);
    this.database = new Database(this, 'Database', { settings, vpc: this.network.vpc, clients: cluster.securityGroup });

    this.serviceRole = irsaRole(this, 'ServiceRole', {
      roleName: settings.serviceRoleName,
      description: `Hello App ${settings.name}: External Secrets reads the database secret as ${settings.kubernetes.namespace}/${settings.kubernetes.serviceAccount}`,
      provider: cluster.oidcProvider,
      issuer: cluster.oidcIssuer,
      ...settings.kubernetes,
    });
    this.database.secret.grantRead(this.serviceRole);

    // release.yml's role for this environment (HelloApp-Shared) in the cluster: a Kubernetes group and no access
    // policy, so it may read only what the environment's Roles grant that group (cdk8s/constructs/release-reader-access.ts).
    new eks.CfnAccessEntry(this, 'ReleaseRoleAccess', {
      clusterName: cluster.clusterName,
      principalArn: roleArn(settings.accountId, settings.releaseRoleName),
      type: 'STANDARD',
      kubernetesGroups: [releaseGroup(settings)],
    });

    if (shared.guard.environment === settings.name) {
      // The guard's git token: a person puts it (`aws secretsmanager put-secret-value`); CloudFormation only makes
      // the secret, with a throwaway value, and keeps it when the stack goes.
      const gitSecret = new secretsmanager.Secret(this, 'GuardGitSecret', {
        secretName: shared.guard.gitSecretName,
        description: 'The release guard: a GitHub token that may push to the gitops repository ({"token": "..."})',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(gitSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A GitHub token is rotated on GitHub (fine-grained token expiry), then put here; no Lambda can mint one.',
      });
      this.guardRole = irsaRole(this, 'GuardRole', {
        roleName: shared.guard.roleName,
        description: `Hello App release guard: External Secrets reads its git token as ${shared.guard.namespace}/${shared.guard.serviceAccount}`,
        provider: cluster.oidcProvider,
        issuer: cluster.oidcIssuer,
        namespace: shared.guard.namespace,
        serviceAccount: shared.guard.serviceAccount,
      });
      gitSecret.grantRead(this.guardRole);
    }

    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId });
    new CfnOutput(this, 'DatabaseSecretName', { value: settings.database.secretName });
    new CfnOutput(this, 'ServiceRoleArn', { value: this.serviceRole.roleArn });
  }
}
