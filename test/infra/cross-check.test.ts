// gitops/ and infra/templates/ name the same AWS things: every role ARN, secret name, image repository and CIDR in
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read untyped CloudFormation and YAML on purpose */
// the committed manifests exists in the committed CloudFormation templates, and every IRSA role, secret, repository
// and subnet the manifests should point at is pointed at. Both are drift-checked against the code, so this holds
// what will be deployed together.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { environmentStackName } from '../../infra/app';
import { TEMPLATES_DIR } from '../../infra/synth';
import { registryHost, roleArn } from '../../settings/derived';
import { SHARED_SETTINGS } from '../../settings/environments';
import { readManifests, ROOT } from '../platform/support/manifests';

const objects = readdirSync(join(ROOT, 'gitops'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readManifests(join(ROOT, 'gitops', d.name)).map((m) => m.object));
const templates = Object.fromEntries(
  readdirSync(join(ROOT, TEMPLATES_DIR)).map((f) => [
    f.replace(/\.template\.json$/, ''),
    JSON.parse(readFileSync(join(ROOT, TEMPLATES_DIR, f), 'utf8')) as { Resources: Record<string, any> },
  ]),
);
const resources = (type: string, stack?: string) =>
  Object.entries(templates)
    .filter(([name]) => stack === undefined || name === stack)
    .flatMap(([, t]) => Object.values(t.Resources).filter((r) => r.Type === type))
    .map((r) => r.Properties);

/** Every string anywhere in a manifest, with the key it sits under. */
function* strings(value: unknown, key = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, k);
}
const all = objects.flatMap((o) => [...strings(o)]);
const unique = (xs: string[]) => [...new Set(xs)].sort();

const gitops = {
  roles: unique(all.filter(([, v]) => /^arn:aws:iam::\d{12}:role\//.test(v)).map(([, v]) => v)),
  secrets: unique(
    objects
      .filter((o) => o.kind === 'ExternalSecret')
      .flatMap((o) => (o.spec as any).data.map((d: any) => d.remoteRef.key as string)),
  ),
  repositories: unique(
    all.filter(([k]) => k === 'image').map(([, v]) => v.replace(/(@sha256:[0-9a-f]{64}|:[\w.-]+)$/, '')),
  ),
  cidrs: unique(all.filter(([k]) => k === 'cidr').map(([, v]) => v)),
};

const irsaRoles = resources('AWS::IAM::Role').filter((p) =>
  JSON.stringify(p.AssumeRolePolicyDocument).includes(':oidc-provider/oidc.eks.'),
);
const aws = {
  roles: unique(resources('AWS::IAM::Role').map((p) => roleArn(SHARED_SETTINGS.accountId, p.RoleName))),
  irsaRoles: unique(irsaRoles.map((p) => roleArn(SHARED_SETTINGS.accountId, p.RoleName))),
  secrets: unique(resources('AWS::SecretsManager::Secret').map((p) => p.Name)),
  repositories: unique(
    resources('AWS::ECR::Repository').map((p) => `${registryHost(SHARED_SETTINGS)}/${p.RepositoryName}`),
  ),
  subnets: resources('AWS::EC2::Subnet').map((p) => p.CidrBlock as string),
};
const subnetsNamed = (group: string, stack?: string) =>
  resources('AWS::EC2::Subnet', stack)
    .filter((p) => p.Tags.some((t: any) => t.Key === 'aws-cdk:subnet-name' && t.Value === group))
    .map((p) => p.CidrBlock as string);

test('gitops/ names AWS things at all (the checks below are not vacuous)', () => {
  expect([gitops.roles.length, gitops.secrets.length, gitops.repositories.length]).toEqual([4, 4, 2]);
  expect(gitops.cidrs.length).toBeGreaterThan(9);
});

test('every role ARN in gitops/ is a role the templates create, and every IRSA role there is used in gitops/', () => {
  expect(gitops.roles.filter((r) => !aws.roles.includes(r))).toEqual([]);
  expect(aws.irsaRoles).toEqual(gitops.roles);
});

test('every secret an ExternalSecret reads is created by the templates, and every secret there is read', () => {
  expect(aws.secrets).toEqual(gitops.secrets);
});

test('every image in gitops/ comes from a repository the templates create, and both repositories are used', () => {
  expect(aws.repositories).toEqual(gitops.repositories);
});

test("every CIDR in gitops/ is a subnet of the templates, except the git host's (GitHub's own ranges)", () => {
  expect(gitops.cidrs.filter((c) => !aws.subnets.includes(c))).toEqual([...GUARD_PLATFORM.gitHost.cidrs].sort());
});

test("every public and database subnet, and the node subnets of the guard's cluster, are named in gitops/", () => {
  const guardStack = environmentStackName(SHARED_SETTINGS.guard.environment);
  const expected = [...subnetsNamed('public'), ...subnetsNamed('database'), ...subnetsNamed('nodes', guardStack)];
  expect(expected.length).toBe(21);
  expect(expected.filter((c) => !gitops.cidrs.includes(c))).toEqual([]);
});

test('each release role is in the cluster as exactly the group its environment binds read access to, and no more', () => {
  const argocd = readManifests(join(ROOT, 'argocd')).map((m) => m.object);
  const boundGroups = [...objects, ...argocd]
    .filter((o) => o.kind === 'RoleBinding')
    .flatMap((o) => ((o as any).subjects as any[]).filter((s) => s.kind === 'Group').map((s) => s.name as string));
  const entries = resources('AWS::EKS::AccessEntry');
  expect(entries.map((e) => e.PrincipalArn).sort()).toEqual(
    resources('AWS::IAM::Role', 'HelloApp-Shared')
      .filter((p) => JSON.stringify(p.AssumeRolePolicyDocument).includes(':environment:'))
      .map((p) => roleArn(SHARED_SETTINGS.accountId, p.RoleName))
      .sort(),
  );
  for (const e of entries) {
    expect(e.AccessPolicies).toBeUndefined();
    expect(e.KubernetesGroups).toHaveLength(1);
    // Bound twice: in the environment's namespace and, for its Application, in Argo CD's.
    expect(boundGroups.filter((g) => g === e.KubernetesGroups[0])).toHaveLength(2);
  }
  expect(unique(boundGroups)).toEqual(unique(entries.map((e) => e.KubernetesGroups[0])));
});
