// `release status` through the real CLI: beside each environment's git record it shows what the release guard wrote
// in that environment's ReleasePolicy when the cluster answers (the Kubernetes API double), and says the cluster is
// unreachable, still exiting 0 with the full git record, when it does not.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENTS, type EnvironmentName } from '../../cdk8s/environments';
import { RELEASE_POLICY_API, RELEASE_POLICY_API_VERSION, type ReleasePolicyStatus } from '../../cdk8s/release-policy';
import { releasePolicySpec } from '../../cdk8s/release-policy-manifests';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { KubeApiDouble } from '../support/kube-api-double';

jest.setTimeout(60_000);
const ROOT = resolve(__dirname, '../..');
const api = new KubeApiDouble().withStatusSubresource(RELEASE_POLICY_API_VERSION, RELEASE_POLICY_API.plural);
let remote: GitopsRemote;
let dir: string;

const rolledBack: ReleasePolicyStatus = {
  observedGeneration: 1,
  verdict: 'RolledBack',
  lastEvaluation: {
    time: '2026-11-29T12:00:00.000Z',
    release: 'abc123def456',
    reason: 'x',
    failedEvaluations: 2,
    gates: [],
  },
};

function policy(env: EnvironmentName, suspend: boolean, status?: ReleasePolicyStatus) {
  return {
    apiVersion: RELEASE_POLICY_API_VERSION,
    kind: RELEASE_POLICY_API.kind,
    metadata: { name: 'hello-app', namespace: ENVIRONMENTS[env].namespace },
    spec: { ...releasePolicySpec(ENVIRONMENTS[env]), suspend },
    ...(status ? { status } : {}),
  };
}

function status(kubeconfig: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'release/main.ts', 'status', '--gitops', remote.url, ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code: code ?? -1, stdout })));
}

interface Row {
  env: string;
  release?: string;
  policy?: { state: string; suspended?: boolean; status?: ReleasePolicyStatus; error?: string };
}

beforeAll(async () => {
  remote = await createGitopsRemote();
  dir = await mkdtemp(join(tmpdir(), 'status-cluster-'));
  await api.start();
  api.putAs(RELEASE_POLICY_API.plural, policy('dev', false, rolledBack));
  api.putAs(RELEASE_POLICY_API.plural, policy('staging', true));
});
afterAll(async () => {
  await api.stop();
  await remote?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test("shows each environment's ReleasePolicy verdict beside its git record when the cluster answers", async () => {
  const kubeconfig = await api.writeKubeconfig(dir);
  const json = await status(kubeconfig, '--json');
  expect(json.code).toBe(0);
  const rows = (JSON.parse(json.stdout) as { detail: Row[] }).detail;
  expect(rows.find((r) => r.env === 'dev')!.policy).toMatchObject({
    state: 'found',
    suspended: false,
    status: rolledBack,
  });
  expect(rows.find((r) => r.env === 'staging')!.policy).toMatchObject({ state: 'found', suspended: true });
  expect(rows.find((r) => r.env === 'prod')!.policy).toEqual({ state: 'absent' });

  const text = await status(kubeconfig);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^dev\s.*RolledBack abc123def456 2026-11-29T12:00:00.000Z/m);
  expect(text.stdout).toMatch(/^staging\s.*Suspended/m);
  expect(text.stdout).toMatch(/^prod\s.*no ReleasePolicy/m);
});

test('an unreachable cluster is said once; the git record is still shown and the command still succeeds', async () => {
  const gone = new KubeApiDouble();
  await gone.start();
  const kubeconfig = await gone.writeKubeconfig(await mkdtemp(join(dir, 'gone-')));
  await gone.stop();
  const json = await status(kubeconfig, '--json');
  expect(json.code).toBe(0);
  const rows = (JSON.parse(json.stdout) as { detail: Row[] }).detail;
  expect(rows.map((r) => r.policy?.state)).toEqual(['unreachable', 'unreachable', 'unreachable']);
  expect(rows.find((r) => r.env === 'dev')!.release).toBeDefined();
  const text = await status(kubeconfig);
  expect(text.stdout).toMatch(/^dev\s.*cluster unreachable/m);
  expect(text.stdout.match(/^cluster: /gm)).toHaveLength(1);
});
