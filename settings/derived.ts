// Values derived from the AWS settings, computed in one place and never typed: role ARNs, the image repository's
// URI, the OIDC provider's ARN, and what cdk8s writes into gitops/ for one environment. infra/ creates resources
// with the names these are built from, and the cross-check test holds the two together.
import { z } from 'zod';
import type { EnvironmentSettings, SharedSettings } from './schema';

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The account's ECR registry host. */
export function registryHost(shared: SharedSettings): string {
  return `${shared.accountId}.dkr.ecr.${shared.region}.amazonaws.com`;
}

export function imageRepositoryUri(shared: SharedSettings, repositoryName: string): string {
  return `${registryHost(shared)}/${repositoryName}`;
}

/** The IAM OIDC provider IAM keeps for an issuer: its ARN names the issuer without the scheme. */
export function oidcProviderArn(accountId: string, issuer: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`;
}

/**
 * The Kubernetes group release.yml's role for an environment is in (its EKS access entry, infra/): the Roles that let
 * verify read the environment's Application, Deployment, pods and ReleasePolicy are bound to it (cdk8s/).
 */
export function releaseGroup(env: EnvironmentSettings): string {
  return `hello-app-release-${env.name}`;
}

export function eksClusterArn(env: EnvironmentSettings): string {
  return `arn:aws:eks:${env.region}:${env.accountId}:cluster/${env.cluster.name}`;
}

/** This repository on GitHub, as Argo CD and the guard clone it. */
export function gitHubRepositoryUrl(shared: SharedSettings): string {
  return `https://github.com/${shared.github.repository}.git`;
}

/** What one environment's manifests need from the AWS side (a schema, so the Helm chart can make it values). */
export const awsFactsSchema = z.strictObject({
  accountId: z.string(),
  region: z.string(),
  namespace: z.string(),
  serviceAccountName: z.string(),
  /** The IRSA role on the ServiceAccount. */
  serviceAccountRoleArn: z.string(),
  /** The Kubernetes group of release.yml's role for this environment: what it may read is bound to it. */
  releaseGroup: z.string(),
  /** The only repository this environment runs images from. */
  imageRepository: z.string(),
  /** The RDS-attached Secrets Manager secret the ExternalSecret reads. */
  databaseSecretName: z.string(),
  databasePort: z.number(),
  /** The database subnets: the NetworkPolicy's only egress besides DNS. */
  databaseCidrs: z.array(z.string()).min(1),
  /** The ALB's subnets: with target type ip it reaches pods from these addresses. */
  loadBalancerCidrs: z.array(z.string()).min(1),
});
export type AwsFacts = z.infer<typeof awsFactsSchema>;

export function awsFacts(env: EnvironmentSettings, shared: SharedSettings): AwsFacts {
  return {
    accountId: env.accountId,
    region: env.region,
    namespace: env.kubernetes.namespace,
    serviceAccountName: env.kubernetes.serviceAccount,
    serviceAccountRoleArn: roleArn(env.accountId, env.serviceRoleName),
    releaseGroup: releaseGroup(env),
    imageRepository: imageRepositoryUri(shared, shared.repositories.service),
    databaseSecretName: env.database.secretName,
    databasePort: env.database.port,
    databaseCidrs: env.network.databaseSubnets,
    loadBalancerCidrs: env.network.publicSubnets,
  };
}

/** What the release guard's manifests need from the AWS side. */
export interface GuardAwsFacts {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly roleArn: string;
  readonly gitSecretName: string;
  readonly region: string;
  /** The image repository of the release tool (the guard's image). */
  readonly imageRepository: string;
  /** The node subnets of the cluster it runs in, where the EKS control plane's ENIs live. */
  readonly apiServerCidrs: readonly string[];
  readonly gitopsRepository: string;
}

export function guardAwsFacts(shared: SharedSettings, host: EnvironmentSettings): GuardAwsFacts {
  return {
    namespace: shared.guard.namespace,
    serviceAccountName: shared.guard.serviceAccount,
    roleArn: roleArn(shared.accountId, shared.guard.roleName),
    gitSecretName: shared.guard.gitSecretName,
    region: shared.region,
    imageRepository: imageRepositoryUri(shared, shared.repositories.release),
    apiServerCidrs: host.network.nodeSubnets,
    gitopsRepository: gitHubRepositoryUrl(shared),
  };
}
