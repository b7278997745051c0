// The shape of the AWS settings both infra/ (AWS CDK) and cdk8s/ read: the account-wide facts (registry, GitHub
// identity, the release guard's identity) and each environment's network, names, database and cluster. Every
// field a value must satisfy is checked here, so a bad value fails both synths with the field's name.
import { z } from 'zod';
import { cidrContains, cidrsOverlap, isCidr } from './cidr';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

const cidr = z.string().refine(isCidr, 'an IPv4 CIDR such as "10.10.0.0/16", its address the first of the range');
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as "eu-west-1"');
const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (letters, digits and +=,.@_-, at most 64)');
const secretName = z.string().regex(/^[\w/+=.@-]{1,512}$/, 'a Secrets Manager secret name');
const k8sName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes object name (RFC 1123 label)');
const ecrName = z
  .string()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'an ECR repository name');
const threeCidrs = z.array(cidr).length(3, 'one CIDR per availability zone (3)');

export const sharedSettingsSchema = z.strictObject({
  /** The account and region of the registry and the CI identity; every environment lives there too. */
  accountId,
  region,
  github: z.strictObject({
    /** owner/name of this repository: the only one whose workflows may assume the roles below. */
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'a GitHub repository as "owner/name"'),
    /** The branch release.yml runs on for pushes (tags matching `v*` may push images too). */
    mainBranch: z.string().min(1),
    /** IAM allows one provider per URL and account: create it here, or import the one that exists. */
    oidcProvider: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('create') }),
      z.strictObject({
        mode: z.literal('import'),
        arn: z
          .string()
          .regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, 'the provider ARN'),
      }),
    ]),
  }),
  /** The ECR repositories: the service's image and the release tool's (the guard runs it). */
  repositories: z.strictObject({ service: ecrName, release: ecrName }),
  /** How many images each repository keeps; untagged layers (failed pushes) expire after `untaggedDays`. */
  imageRetention: z.strictObject({
    keepImages: z.number().int().min(10).max(10000),
    untaggedDays: z.number().int().min(1).max(365),
  }),
  /** The role release.yml's image job assumes to push both images. */
  imagePushRoleName: iamName,
  /** The release guard (in-cluster operator): where it runs and the secret with its git token. */
  guard: z.strictObject({
    /** The environment whose cluster runs the guard (its IRSA role is created in that environment's stack). */
    environment: z.enum(ENVIRONMENT_NAMES),
    namespace: k8sName,
    serviceAccount: k8sName,
    roleName: iamName,
    gitSecretName: secretName,
  }),
});
export type SharedSettings = z.infer<typeof sharedSettingsSchema>;

const clusterSchema = z.discriminatedUnion('managedBy', [
  z.strictObject({
    /** The platform team's cluster: this repository takes its OIDC issuer and node/pod security group as inputs. */
    managedBy: z.literal('platform-team'),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'an EKS cluster name'),
    oidcIssuer: z
      .string()
      .regex(/^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[A-Z0-9]{32}$/, "the cluster's OIDC issuer URL"),
    /** The security group of the nodes (and pods): the only source the database admits. */
    securityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id'),
  }),
  z.strictObject({
    /** An EKS cluster created by this environment's stack (aws-eks-v2, managed node group, Auto Mode off). */
    managedBy: z.literal('this-stack'),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'an EKS cluster name'),
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'a Kubernetes minor version such as "1.33"'),
    nodeInstanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'an EC2 instance type'),
    nodes: z
      .strictObject({ min: z.number().int().min(1), max: z.number().int().max(100) })
      .refine((n) => n.min <= n.max, { message: "'min' must not exceed 'max'", path: ['min'] }),
  }),
]);

export const environmentSettingsSchema = z
  .strictObject({
    name: z.enum(ENVIRONMENT_NAMES),
    accountId,
    region,
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'an AZ name')).length(3),
    network: z.strictObject({
      vpcCidr: cidr,
      /** The ALB's subnets (the NetworkPolicy admits them: target type ip). */
      publicSubnets: threeCidrs,
      /** Nodes and pods (VPC CNI), the VPC endpoints. */
      nodeSubnets: threeCidrs,
      /** RDS only, no route out (the NetworkPolicy's only egress besides DNS). */
      databaseSubnets: threeCidrs,
      /** NAT gateways for the node subnets: one is cheaper, one per AZ survives an AZ outage. */
      natGateways: z.number().int().min(1).max(3),
      /** Days CloudWatch Logs keeps the VPC flow logs (a retention CloudWatch offers). */
      flowLogRetentionDays: z.literal([7, 14, 30, 60, 90, 180, 365, 731]),
    }),
    kubernetes: z.strictObject({ namespace: k8sName, serviceAccount: k8sName }),
    /** The IRSA role the service account assumes (reads only the database secret). */
    serviceRoleName: iamName,
    /** The role release.yml's jobs for this environment assume (read-only: what verify reads). */
    releaseRoleName: iamName,
    /** The GitHub environment release.yml's job for this environment runs in (its OIDC subject names it). */
    githubEnvironment: z.string().regex(/^[\w.-]{1,255}$/, 'a GitHub environment name'),
    database: z.strictObject({
      instanceIdentifier: z.string().regex(/^[a-z]([a-z0-9]|-(?!-)){0,61}[a-z0-9]$/, 'an RDS instance identifier'),
      databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a PostgreSQL database name'),
      port: z.number().int().min(1150).max(65535),
      /** The RDS-attached secret: JSON with host, port, username, password, dbname. */
      secretName,
      instanceClass: z
        .string()
        .regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'an instance class without "db.", such as "t4g.medium"'),
      allocatedStorageGiB: z.number().int().min(20).max(65536),
      maxAllocatedStorageGiB: z.number().int().min(20).max(65536),
      multiAz: z.boolean(),
      /** Deletion protection and a final snapshot on delete. */
      protect: z.boolean(),
      backupRetentionDays: z.number().int().min(1).max(35),
      rotationDays: z.number().int().min(1).max(365),
      readReplica: z.boolean(),
    }),
    cluster: clusterSchema,
  })
  .superRefine((e, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    e.availabilityZones.forEach((az, i) => {
      if (!az.startsWith(e.region)) issue(['availabilityZones', i], `'${az}' is not in region '${e.region}'`);
    });
    const groups = ['publicSubnets', 'nodeSubnets', 'databaseSubnets'] as const;
    // Malformed CIDRs are already reported field by field; the range checks need well-formed ones.
    const all = groups
      .flatMap((g) => e.network[g].map((c, i) => ({ path: ['network', g, i], c })))
      .filter((s) => isCidr(s.c));
    for (const [i, s] of all.entries()) {
      if (isCidr(e.network.vpcCidr) && !cidrContains(e.network.vpcCidr, s.c))
        issue(s.path, `'${s.c}' is outside the VPC '${e.network.vpcCidr}'`);
      const clash = all.slice(i + 1).find((o) => cidrsOverlap(s.c, o.c));
      if (clash) issue(s.path, `'${s.c}' overlaps '${clash.c}' (${clash.path.join('.')})`);
    }
    if (e.database.maxAllocatedStorageGiB < e.database.allocatedStorageGiB) {
      issue(['database', 'maxAllocatedStorageGiB'], "must not be below 'allocatedStorageGiB'");
    }
  });
export type EnvironmentSettings = z.infer<typeof environmentSettingsSchema>;
export type ClusterSettings = EnvironmentSettings['cluster'];

/** Validates a value against a schema; a failure throws one line per bad field, prefixed with `where`. */
export function parseSettings<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues.map((i) => `${where}: field '${i.path.join('.') || '(root)'}': ${i.message}`).join('\n'),
  );
}
