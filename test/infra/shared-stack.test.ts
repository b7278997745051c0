// The account-wide stack: images only through immutable, scanned, pruned repositories; GitHub roles that only this
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read untyped CloudFormation and YAML on purpose */
// repository's main branch and version tags (image push) or one GitHub environment (release) can assume; and no
// policy anywhere with a `*` resource except ecr:GetAuthorizationToken, which has no other form.
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SharedStack } from '../../infra/shared-stack';
import { eksClusterArn } from '../../settings/derived';
import { ENVIRONMENT_NAMES, parseSettings, sharedSettingsSchema } from '../../settings/schema';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED, fixtureSharedRaw } from '../support/aws-settings-fixture';
import { synthFixtureApp } from '../support/infra-app';

const built = synthFixtureApp();
afterAll(() => built.cleanup());
const shared = Template.fromStack(built.shared);
const all = [built.shared, ...ENVIRONMENT_NAMES.map((n) => built.environments[n])].map((s) => Template.fromStack(s));
const S = FIXTURE_SHARED;
const repo = S.github.repository;

const resources = (t: Template, type: string): [string, any][] =>
  Object.entries(t.findResources(type)).map(([id, r]) => [id, (r as any).Properties]);
const role = (name: string) => resources(shared, 'AWS::IAM::Role').find(([, p]) => p.RoleName === name)!;
const statementsOf = (t: Template, roleId: string) =>
  resources(t, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.PolicyDocument.Statement);
const [providerId] = resources(shared, 'AWS::IAM::OIDCProvider')[0]!;
const trust = (subjects: string[]) => [
  {
    Effect: 'Allow',
    Action: 'sts:AssumeRoleWithWebIdentity',
    Principal: { Federated: { Ref: providerId } },
    Condition: {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': subjects },
    },
  },
];

test.each([
  ['service', S.repositories.service],
  ['release', S.repositories.release],
])('the %s repository has immutable tags, scan on push and lifecycle rules', (_, name) => {
  const [, p] = resources(shared, 'AWS::ECR::Repository').find(([, p]) => p.RepositoryName === name)!;
  expect(p.ImageTagMutability).toBe('IMMUTABLE');
  expect(p.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
  const rules = JSON.parse(p.LifecyclePolicy.LifecyclePolicyText).rules;
  expect(rules.map((r: any) => r.selection)).toEqual([
    {
      tagStatus: 'untagged',
      countType: 'sinceImagePushed',
      countNumber: S.imageRetention.untaggedDays,
      countUnit: 'days',
    },
    {
      tagStatus: 'tagged',
      tagPrefixList: [`${S.github.mainBranch}-`],
      countType: 'imageCountMoreThan',
      countNumber: S.imageRetention.keepImages,
    },
  ]);
});

test("GitHub's OIDC provider is created for audience sts.amazonaws.com", () => {
  expect(resources(shared, 'AWS::IAM::OIDCProvider').map(([, p]) => [p.Url, p.ClientIdList])).toEqual([
    ['https://token.actions.githubusercontent.com', ['sts.amazonaws.com']],
  ]);
});

test("the image-push role trusts only this repository's main branch and version tags", () => {
  const [, p] = role(S.imagePushRoleName);
  expect(p.AssumeRolePolicyDocument.Statement).toEqual(
    trust([`repo:${repo}:ref:refs/heads/${S.github.mainBranch}`, `repo:${repo}:ref:refs/tags/v*`]),
  );
});

test('the image-push role may push to the two repositories, and log in to the registry', () => {
  const [id] = role(S.imagePushRoleName);
  const statements = statementsOf(shared, id);
  const repoIds = resources(shared, 'AWS::ECR::Repository').map(([rid]) => rid);
  const onRepositories = statements.filter((s: any) => s.Resource !== '*');
  expect(onRepositories.flatMap((s: any) => s.Resource['Fn::GetAtt'][0]).sort()).toEqual(repoIds.sort());
  for (const s of onRepositories)
    expect(s.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:CompleteLayerUpload']));
  expect(statements.filter((s: any) => s.Resource === '*')).toEqual([
    { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
  ]);
});

describe.each(ENVIRONMENT_NAMES)('the %s release role', (name) => {
  const env = FIXTURE_ENVIRONMENTS[name];
  test(`trusts only release.yml jobs in GitHub environment '${env.githubEnvironment}' of this repository`, () => {
    expect(role(env.releaseRoleName)[1].AssumeRolePolicyDocument.Statement).toEqual(
      trust([`repo:${repo}:environment:${env.githubEnvironment}`]),
    );
  });
  test('may only describe its own cluster (what `aws eks update-kubeconfig` reads for verify)', () => {
    expect(statementsOf(shared, role(env.releaseRoleName)[0])).toEqual([
      { Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: eksClusterArn(env) },
    ]);
  });
});

test('no policy in any stack grants a `*` resource, except ecr:GetAuthorizationToken', () => {
  const wildcard = all.flatMap((t) =>
    resources(t, 'AWS::IAM::Policy').flatMap(([id, p]) =>
      (p.PolicyDocument.Statement as any[])
        .filter((s) => [s.Resource].flat().includes('*'))
        .filter((s) => JSON.stringify(s.Action) !== '"ecr:GetAuthorizationToken"')
        .map((s) => `${id}: ${JSON.stringify(s.Action)}`),
    ),
  );
  expect(wildcard).toEqual([]);
  // Inline role policies and managed policies would escape the check above: there are none.
  for (const t of all) {
    for (const [, p] of resources(t, 'AWS::IAM::Role'))
      expect([p.Policies, p.ManagedPolicyArns]).toEqual([undefined, undefined]);
    expect(resources(t, 'AWS::IAM::ManagedPolicy')).toEqual([]);
  }
});

test('an existing GitHub OIDC provider is imported, not created a second time (IAM allows one per account)', () => {
  const raw = fixtureSharedRaw();
  const arn = `arn:aws:iam::${raw.accountId}:oidc-provider/token.actions.githubusercontent.com`;
  raw.github.oidcProvider = { mode: 'import', arn };
  const stack = new SharedStack(new App({ outdir: join(built.app.outdir, 'imported') }), 'Imported', {
    shared: parseSettings(sharedSettingsSchema, raw, 'fixture'),
    environments: FIXTURE_ENVIRONMENTS,
  });
  const t = Template.fromStack(stack);
  expect(resources(t, 'AWS::IAM::OIDCProvider')).toEqual([]);
  expect(resources(t, 'AWS::IAM::Role')[0]![1].AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
    Federated: arn,
  });
});

test('cdk-nag runs at synth and fails it on a finding nobody acknowledged', () => {
  const app = new App({ outdir: join(built.app.outdir, 'careless') });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Careless', { env: { account: '111122223333', region: 'eu-central-1' } });
  new iam.Role(stack, 'Careless', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
  );
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
});
