// Every synthesized object — gitops/<env>/, argocd/ and the rendered Helm chart — is valid against the Kubernetes
// and CRD schemas (Argo CD, External Secrets, Prometheus Operator), and holds no field those schemas do not define.
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { readManifests, ROOT } from './support/manifests';
import { schemaErrors, unknownFields } from './support/kube-schemas';

const sets = [...ENVIRONMENT_NAMES.map((env) => `gitops/${env}`), 'argocd'];

describe.each(sets)('%s', (dir) => {
  const manifests = readManifests(join(ROOT, dir));

  test('holds objects', () => {
    expect(manifests.length).toBeGreaterThan(0);
  });

  test('every object passes its schema', async () => {
    const errors = (await Promise.all(manifests.map((m) => schemaErrors(m.object)))).flat();
    expect(errors).toEqual([]);
  });

  test('no object has a field its schema does not define', () => {
    expect(manifests.flatMap((m) => unknownFields(m.object))).toEqual([]);
  });
});

describe('the unknown-field check', () => {
  test('names the object and the misspelt field', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'a', imagePullPolicyy: 'Always' }] } } },
    };
    expect(unknownFields(deployment)).toEqual([
      `Deployment 'x' (apps/v1): unknown field 'spec.template.spec.containers[0].imagePullPolicyy'`,
    ]);
  });

  test('lets free-form maps (labels) through', () => {
    expect(
      unknownFields({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', labels: { anything: 'goes' } },
      } as never),
    ).toEqual([]);
  });

  test('the schema check names a wrong type', async () => {
    const errors = await schemaErrors({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 'eighty' }] },
    } as never);
    expect(errors.join('\n')).toMatch(/Service 's'.*ports\/0\/port/);
  });
});
