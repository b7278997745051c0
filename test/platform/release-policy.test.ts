// The ReleasePolicy API as the cluster gets it: the committed CRD is a valid, structural apiextensions.k8s.io/v1
// object whose printer columns name real fields; every environment's ReleasePolicy in gitops/ passes the CRD's own
// schema, which refuses what the API server would; Argo CD applies the CRD before any policy and never prunes it.
/* eslint-disable @typescript-eslint/no-explicit-any -- the rules walk untyped schema and YAML objects on purpose */
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { ReleasePolicyObject } from '../../cdk8s/constructs/release-policy';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../cdk8s/environments';
import { releasePolicySpec } from '../../cdk8s/release-policy-manifests';
import { parseReleasePolicySpec, RELEASE_POLICY_API } from '../../cdk8s/release-policy';
import { committedCrd, crdValidator } from './support/crd-validator';
import { schemaErrors, unknownFields } from './support/kube-schemas';
import { readManifests, ROOT, type Manifest } from './support/manifests';

const { group, kind, version } = RELEASE_POLICY_API;
const crd = committedCrd(group, kind) as any;
const served = crd.spec.versions.find((v: any) => v.name === version);
const validate = crdValidator(crd, version);
const WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

const policyOf = (env: string) => readManifests(join(ROOT, 'gitops', env)).filter((m) => m.object.kind === kind);
const devPolicy = () => structuredClone(policyOf('dev')[0]!.object) as any;

/** The Kubernetes rules for a structural schema (apiextensions "Specifying a structural schema"), as violations. */
function structuralViolations(node: any, path: string): string[] {
  const out: string[] = [];
  for (const k of ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'definitions', '$schema'])
    if (k in node) out.push(`${path}: uses ${k}`);
  if (typeof node.type !== 'string' && node['x-kubernetes-preserve-unknown-fields'] !== true)
    out.push(`${path}: has no type`);
  if (node.properties && node.additionalProperties !== undefined)
    out.push(`${path}: has both properties and additionalProperties`);
  if (node['x-kubernetes-list-type'] === 'map') {
    const missing = (node['x-kubernetes-list-map-keys'] ?? []).filter(
      (k: string) => !node.items?.required?.includes(k),
    );
    if (missing.length) out.push(`${path}: list-map keys ${missing.join(', ')} are not required in its items`);
  }
  for (const [k, v] of Object.entries(node.properties ?? {})) out.push(...structuralViolations(v, `${path}.${k}`));
  if (typeof node.additionalProperties === 'object')
    out.push(...structuralViolations(node.additionalProperties, `${path}.*`));
  if (node.items) out.push(...structuralViolations(node.items, `${path}[]`));
  return out;
}

/** The schema node at a printer column's JSONPath (".status.live.image"), if the schema defines it. */
function schemaAt(path: string): any {
  return path
    .split('.')
    .slice(1)
    .reduce((node: any, key) => node?.properties?.[key], served.schema.openAPIV3Schema);
}

describe('the CustomResourceDefinition', () => {
  test('is a valid apiextensions.k8s.io/v1 object with no field the API does not define', async () => {
    expect(await schemaErrors(crd)).toEqual([]);
    expect(unknownFields(crd)).toEqual([]);
    expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${group}`);
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
  });

  test('has a structural schema, so the API server accepts it and prunes unknown fields', () => {
    expect(structuralViolations(served.schema.openAPIV3Schema, 'openAPIV3Schema')).toEqual([]);
    expect(served.schema.openAPIV3Schema.required).toEqual(['spec']);
  });

  test('writes status only through the status subresource', () => {
    expect(served.subresources).toEqual({ status: {} });
  });

  test('kubectl get shows environment, image, verdict, last evaluation and age, each from a field the schema defines', () => {
    const columns = served.additionalPrinterColumns as { name: string; jsonPath: string; type: string }[];
    expect(columns.map((c) => c.name)).toEqual(['Environment', 'Image', 'Verdict', 'Last Evaluation', 'Age']);
    for (const c of columns.filter((c) => !c.jsonPath.startsWith('.metadata.'))) {
      expect([c.jsonPath, schemaAt(c.jsonPath)?.type]).toEqual([c.jsonPath, 'string']);
    }
    expect(columns.find((c) => c.name === 'Last Evaluation')!.type).toBe('date');
  });

  test('rejects an analysis interval longer than its window on the server (CEL) as in code (zod)', () => {
    const analysis = served.schema.openAPIV3Schema.properties.spec.properties.analysis;
    expect(analysis['x-kubernetes-validations']).toEqual([
      { rule: 'duration(self.interval) <= duration(self.window)', message: 'interval must not be longer than window' },
    ]);
    const spec = { ...devPolicy().spec, analysis: { window: '1m', interval: '2m', minSamples: 3 } };
    expect(() => parseReleasePolicySpec(spec, 'test')).toThrow(
      "test: field 'spec.analysis.interval': 'interval' must not be longer than 'window'",
    );
  });
});

describe.each(ENVIRONMENT_NAMES)('gitops/%s', (env) => {
  const policies = policyOf(env);

  test('holds one ReleasePolicy, in the environment namespace, valid against the committed CRD schema', () => {
    expect(policies.map((m) => m.object.metadata.namespace)).toEqual([ENVIRONMENTS[env].namespace]);
    expect(validate(policies[0]!.object)).toEqual([]);
    expect(parseReleasePolicySpec((policies[0]!.object as any).spec, env)).toMatchObject({ environment: env });
  });

  test('is applied by Argo CD last, and even before the CRD exists (the sync retries instead of failing dry run)', () => {
    const objects = readManifests(join(ROOT, 'gitops', env)).map((m: Manifest) => m.object);
    const wave = (o: Manifest['object']) => Number(o.metadata.annotations?.[WAVE] ?? 0);
    const policy = policies[0]!.object;
    for (const o of objects.filter((o) => o.kind !== kind)) expect(wave(o)).toBeLessThan(wave(policy));
    expect(policy.metadata.annotations?.[SYNC_OPTIONS]).toBe('SkipDryRunOnMissingResource=true');
  });
});

describe('the CRD schema refuses what the API server would', () => {
  test.each<[string, (o: any) => void, RegExp]>([
    [
      'an unknown field',
      (o) => (o.spec.gates.errorRatio.failurelimit = 2),
      /\/spec\/gates\/errorRatio .*'failurelimit'/,
    ],
    ['a duration that is not one', (o) => (o.spec.interval = '2x'), /\/spec\/interval must match pattern/],
    [
      'an error ratio threshold of 1',
      (o) => (o.spec.gates.errorRatio.threshold = 1),
      /\/spec\/gates\/errorRatio\/threshold must be < 1/,
    ],
    ['a missing gate', (o) => delete o.spec.gates.latencyP99, /\/spec\/gates must have required property 'latencyP99'/],
    [
      'a negative failure limit',
      (o) => (o.spec.gates.traffic.failureLimit = -1),
      /\/spec\/gates\/traffic\/failureLimit must be >= 0/,
    ],
    [
      'an unknown environment',
      (o) => (o.spec.environment = 'qa'),
      /\/spec\/environment must be equal to one of the allowed values/,
    ],
    [
      'a status with an unknown verdict',
      (o) => (o.status = { verdict: 'Fine' }),
      /\/status\/verdict must be equal to one of the allowed values/,
    ],
  ])('%s', (_name, mutate, error) => {
    const o = devPolicy();
    mutate(o);
    expect(validate(o).join('\n')).toMatch(error);
  });
});

test('synth refuses a policy the schema refuses, naming the object and the field', () => {
  const spec = { ...releasePolicySpec(ENVIRONMENTS.dev), rollback: { afterFailedEvaluations: 0 } };
  const chart = new Chart(new App(), 'bad');
  expect(() => new ReleasePolicyObject(chart, 'P', { name: 'hello-app', namespace: 'hello-dev', spec })).toThrow(
    "ReleasePolicy 'hello-dev/hello-app': field 'spec.rollback.afterFailedEvaluations'",
  );
});

test('Argo CD applies the CRD before every other platform object, may sync it, and never prunes it', () => {
  const platform = readManifests(join(ROOT, 'gitops', 'platform')).map((m) => m.object);
  const wave = (o: Manifest['object']) => Number(o.metadata.annotations?.[WAVE] ?? 0);
  for (const o of platform.filter((o) => o.kind !== 'CustomResourceDefinition'))
    expect(wave(o)).toBeGreaterThan(wave(crd));
  expect(crd.metadata.annotations[SYNC_OPTIONS]).toBe('Prune=false,Delete=false');
  const project = readManifests(join(ROOT, 'argocd')).find((m) => m.object.kind === 'AppProject')!.object as any;
  expect(project.spec.clusterResourceWhitelist).toContainEqual({
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
  });
});
