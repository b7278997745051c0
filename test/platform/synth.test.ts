// synthEnvironment and `synth --check` against real temporary directories: reproducible output, stale files
/* eslint-disable @typescript-eslint/no-explicit-any -- the rules read untyped YAML objects on purpose */
// removed, release.json untouched, bad records and settings refused with the file and field named.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthEnvironment } from '../../cdk8s/synth';
import { parseEnvironment } from '../../cdk8s/environments';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED } from '../support/aws-settings-fixture';
import { fixtureEnvironmentRaw } from '../support/environment-fixture';
import { ROOT } from './support/manifests';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-'));
  cpSync(join(ROOT, 'gitops', 'staging', 'release.json'), join(dir, 'staging', 'release.json'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = () => JSON.parse(readFileSync(join(dir, 'staging', 'release.json'), 'utf8'));
const writeRecord = (r: unknown) => writeFileSync(join(dir, 'staging', 'release.json'), JSON.stringify(r));

test('writes the same files as the committed gitops/<env>/, byte for byte', () => {
  synthEnvironment('staging', dir);
  const committed = readdirSync(join(ROOT, 'gitops', 'staging')).sort();
  expect(readdirSync(join(dir, 'staging')).sort()).toEqual(committed);
  for (const f of committed)
    expect(readFileSync(join(dir, 'staging', f), 'utf8')).toBe(
      readFileSync(join(ROOT, 'gitops', 'staging', f), 'utf8'),
    );
});

test('removes the YAML it no longer produces and leaves release.json and other files alone', () => {
  writeFileSync(join(dir, 'staging', 'deployment-old-name.yaml'), 'stale');
  writeFileSync(join(dir, 'staging', 'NOTES.md'), 'kept');
  const before = readFileSync(join(dir, 'staging', 'release.json'), 'utf8');
  synthEnvironment('staging', dir);
  expect(existsSync(join(dir, 'staging', 'deployment-old-name.yaml'))).toBe(false);
  expect(readFileSync(join(dir, 'staging', 'NOTES.md'), 'utf8')).toBe('kept');
  expect(readFileSync(join(dir, 'staging', 'release.json'), 'utf8')).toBe(before);
});

test('a new release changes the image, the release label and HELLO_RELEASE', () => {
  const r = record();
  r.current = {
    ...r.current,
    image: r.current.image.replace(/@sha256:.*/, ':v2.0.0'),
    version: 'v2.0.0',
    release: 'v2.0.0',
  };
  writeRecord(r);
  synthEnvironment('staging', dir);
  const deployment = readFileSync(join(dir, 'staging', 'deployment-hello-app.yaml'), 'utf8');
  expect(deployment).toContain('hello-app:v2.0.0');
  expect(deployment).toContain('hello-app.dev/release: v2.0.0');
  expect(deployment).not.toContain('sha256');
});

test.each([
  [
    'an image tagged latest',
    (r: any) => (r.current.image = r.current.image.replace(/@sha256:.*/, ':latest')),
    /current\.image.*latest/,
  ],
  [
    'an image from another repository',
    (r: any) => (r.current.image = `docker.io/someone/else@sha256:${'b'.repeat(64)}`),
    /current\.image' is from 'docker\.io\/someone\/else'/,
  ],
  ['no current release', (r: any) => delete r.current, /field 'current' is absent/],
  [
    'another environment’s record',
    (r: any) => (r.environment = 'prod'),
    /field 'environment' is 'prod', expected 'staging'/,
  ],
])('refuses a record with %s, naming the file and field', (_, mutate, message) => {
  const r = record();
  mutate(r);
  writeRecord(r);
  expect(() => synthEnvironment('staging', dir)).toThrow(message);
  expect(() => synthEnvironment('staging', dir)).toThrow(join(dir, 'staging', 'release.json'));
});

test.each([
  ['replicas.min', (e: any) => (e.replicas = { min: 5, max: 2 }), /environment 'dev': field 'replicas.min'/],
  [
    'cluster.dns.podLabels',
    (e: any) => (e.cluster.dns.podLabels = {}),
    /environment 'dev': field 'cluster.dns.podLabels'/,
  ],
  [
    'AWS fact typed into the Kubernetes settings',
    (e: any) => (e.serviceAccountRoleArn = 'arn:aws:iam::123456789012:role/typed'),
    /environment 'dev': field '\(root\)': Unrecognized key: "serviceAccountRoleArn"/,
  ],
])('a bad %s fails naming the environment and field', (_, mutate, message) => {
  // The AWS facts are joined in from settings/; only the Kubernetes-side settings are parsed here.
  const env: any = fixtureEnvironmentRaw();
  mutate(env);
  expect(() => parseEnvironment('dev', env, FIXTURE_ENVIRONMENTS.dev, FIXTURE_SHARED)).toThrow(message);
});

test('synth --check passes on the committed output and names a file edited by hand', () => {
  const root = mkdtempSync(join(tmpdir(), 'repo-'));
  try {
    for (const p of ['gitops', 'argocd', 'charts', 'package.json'])
      cpSync(join(ROOT, p), join(root, p), { recursive: true });
    const run = () =>
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          join(ROOT, 'cdk8s', 'synth.ts'),
          '--check',
          '--root',
          root,
        ],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    expect(run()).toMatch(/match the code/);
    writeFileSync(join(root, 'gitops', 'dev', 'service-hello-app.yaml'), 'edited: by hand\n');
    writeFileSync(join(root, 'argocd', 'stray.yaml'), 'kind: Stray\n');
    let failure = '';
    try {
      run();
    } catch (e) {
      failure = (e as { stderr: string }).stderr;
    }
    expect(failure).toContain(`${join(root, 'gitops', 'dev', 'service-hello-app.yaml')} (differs)`);
    expect(failure).toContain(`${join(root, 'argocd', 'stray.yaml')} (stale)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 60_000);
