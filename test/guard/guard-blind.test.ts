// A real `release guard` process that cannot see the cluster says so: /readyz turns 503 naming the environment and
// the cause once it has been blind for longer than its window, the reconcile-error metric counts the cause, and both
// recover when the cluster can be read again. Only the Kubernetes/Argo CD API is the double; git is real.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { waitFor } from '../support/wait-for';
import { policyApi, showPolicy } from './guard-harness';
import { runGuardProcess, stopGuard, testGuardArgs, type GuardProcess } from './guard-process';

jest.setTimeout(120_000);

const api = policyApi();
let dir: string;
let remote: GitopsRemote;
let guard: GuardProcess | undefined;

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'guard-blind-'));
  remote = await createGitopsRemote();
});

afterAll(async () => {
  if (guard) await stopGuard(guard);
  await remote?.cleanup();
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

const metric = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('a guard that cannot read the cluster for longer than its window is not ready, says why, and counts the cause', async () => {
  // Argo CD's Applications answer 503; the Lease API works, so the guard leads and tries.
  api.failWith = 503;
  api.failOnly = /argoproj\.io/;
  // dev's policy: an evaluation every 300 ms over a 2 s window.
  showPolicy(api, 'dev', { interval: '300ms', analysis: { window: '2s', interval: '1s', minSamples: 2 } });
  guard = runGuardProcess(
    'guard-blind',
    [
      ...testGuardArgs({ env: 'dev', gitops: remote.url, prometheusUrl: 'http://127.0.0.1:9' }),
      '--metrics-address',
      '127.0.0.1',
    ],
    { KUBECONFIG: await api.writeKubeconfig(dir) },
  );
  const started = await guard.waitForLine((l) => l.msg === 'release guard started', 60_000);
  expect(started.metricsAddress).toBe('127.0.0.1');
  const base = `http://127.0.0.1:${String(started.port)}`;
  await guard.waitForLine((l) => l.msg === 'started leading', 30_000);

  const blind = await waitFor(
    '/readyz to report the guard blind',
    async () => {
      // Under load the first reconcile may still be running when the window passes: wait for the cause.
      const r = await fetch(`${base}/readyz`);
      const text = await r.text();
      return r.status === 503 && text.includes('cluster-unreadable') ? text : undefined;
    },
    { timeoutMs: 30_000, everyMs: 100 },
  );
  expect(blind).toMatch(
    /^not ok: cannot evaluate dev for \d+ s \(cluster-unreadable: Kubernetes API read failed \(HTTP 503\)/,
  );
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(
    metric(metrics, 'release_guard_reconcile_errors_total', 'env="dev",cause="cluster-unreadable"'),
  ).toBeGreaterThan(0);
  expect(metric(metrics, 'release_guard_blind', 'env="dev"')).toBe(1);

  // The cluster answers again (no Application yet: nothing to judge, but the guard can see).
  api.failWith = undefined;
  await waitFor('/readyz to recover', async () => (await fetch(`${base}/readyz`)).status === 200, {
    timeoutMs: 30_000,
    everyMs: 100,
  });
  expect(metric(await (await fetch(`${base}/metrics`)).text(), 'release_guard_blind', 'env="dev"')).toBe(0);
});
