// The account-wide AWS side: the ECR repositories (service and release tool), GitHub's OIDC provider, the role
// release.yml's image job pushes with (main and version tags of this repository only) and one read-only role per
// environment for release.yml's deploy/verify jobs (what `aws eks update-kubeconfig` reads, nothing else).
import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { eksClusterArn } from '../settings/derived';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type EnvironmentSettings,
  type SharedSettings,
} from '../settings/schema';
import { PinnedStack } from './pinned-stack';
import { STS_AUDIENCE } from './irsa-role';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface SharedStackProps {
  readonly shared: SharedSettings;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentSettings>>;
}

export class SharedStack extends PinnedStack {
  readonly repositories: Record<'service' | 'release', ecr.Repository>;
  readonly imagePushRole: iam.Role;
  readonly releaseRoles: Record<EnvironmentName, iam.Role>;

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    const { shared } = props;
    super(scope, id, {
      accountId: shared.accountId,
      region: shared.region,
      description: 'Hello App, account-wide: ECR repositories, GitHub OIDC provider, image-push and release roles',
    });
    const repository = (key: 'service' | 'release') =>
      new ecr.Repository(this, key === 'service' ? 'ServiceRepository' : 'ReleaseRepository', {
        repositoryName: shared.repositories[key],
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          {
            rulePriority: 1,
            description: 'Layers of failed or superseded pushes',
            tagStatus: ecr.TagStatus.UNTAGGED,
            maxImageAge: Duration.days(shared.imageRetention.untaggedDays),
          },
          {
            // Version tags (releases) are kept; builds of main only up to a count.
            rulePriority: 2,
            description: `Builds of ${shared.github.mainBranch} beyond the newest ${shared.imageRetention.keepImages}`,
            tagStatus: ecr.TagStatus.TAGGED,
            tagPrefixList: [`${shared.github.mainBranch}-`],
            maxImageCount: shared.imageRetention.keepImages,
          },
        ],
      });
    this.repositories = { service: repository('service'), release: repository('release') };

    const provider =
      shared.github.oidcProvider.mode === 'create'
        ? new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
            url: `https://${GITHUB_OIDC_HOST}`,
            clientIds: [STS_AUDIENCE],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidcProvider', shared.github.oidcProvider.arn);
    const gitHubRole = (roleId: string, roleName: string, description: string, subjects: string[]) =>
      new iam.Role(this, roleId, {
        roleName,
        description,
        maxSessionDuration: Duration.hours(1),
        assumedBy: new iam.FederatedPrincipal(
          provider.oidcProviderArn,
          {
            StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
            // StringLike for the version-tag pattern; the other subjects contain no wildcard.
            StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      });
    const repo = shared.github.repository;

    this.imagePushRole = gitHubRole(
      'ImagePushRole',
      shared.imagePushRoleName,
      `release.yml's image job: push to ${shared.repositories.service} and ${shared.repositories.release}`,
      [`repo:${repo}:ref:refs/heads/${shared.github.mainBranch}`, `repo:${repo}:ref:refs/tags/v*`],
    );
    for (const r of Object.values(this.repositories)) r.grantPullPush(this.imagePushRole);
    Validations.of(this.imagePushRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken has no resource-level permissions (it returns a registry login); every push ' +
        'action names the two repositories.',
    });

    this.releaseRoles = Object.fromEntries(
      ENVIRONMENT_NAMES.map((name) => {
        const env = props.environments[name];
        const role = gitHubRole(
          `ReleaseRole${name[0]!.toUpperCase()}${name.slice(1)}`,
          env.releaseRoleName,
          `release.yml in GitHub environment ${env.githubEnvironment}: find the ${name} cluster (verify reads it through EKS access entries)`,
          [`repo:${repo}:environment:${env.githubEnvironment}`],
        );
        role.addToPolicy(
          new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [eksClusterArn(env)] }),
        );
        return [name, role];
      }),
    ) as Record<EnvironmentName, iam.Role>;

    new CfnOutput(this, 'AwsRegion', { value: shared.region, description: 'repository variable AWS_REGION' });
    new CfnOutput(this, 'EcrRepository', {
      value: this.repositories.service.repositoryName,
      description: 'repository variable ECR_REPOSITORY',
    });
    new CfnOutput(this, 'ImagePushRoleArn', {
      value: this.imagePushRole.roleArn,
      description: 'repository variable AWS_IMAGE_PUSH_ROLE_ARN',
    });
    for (const name of ENVIRONMENT_NAMES) {
      const env = props.environments[name];
      const suffix = `${name[0]!.toUpperCase()}${name.slice(1)}`;
      new CfnOutput(this, `ReleaseRoleArn${suffix}`, {
        value: this.releaseRoles[name].roleArn,
        description: `GitHub environment ${env.githubEnvironment}: variable AWS_RELEASE_ROLE_ARN`,
      });
      new CfnOutput(this, `EksClusterName${suffix}`, {
        value: env.cluster.name,
        description: `GitHub environment ${env.githubEnvironment}: variable EKS_CLUSTER_NAME`,
      });
    }
  }
}
