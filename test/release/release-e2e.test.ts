// End to end, with real parts: the real service (two instances: a healthy release on PostgreSQL, a bad one whose
// database is unreachable so it answers 503) under generated load, a real Prometheus scraping both, real git,
// the real release CLI; only the Kubernetes/Argo CD API is the labelled double. A healthy release passes verify
// and is promoted; a bad one fails and is rolled back; Prometheus down or no data blocks and writes nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import { releaseId } from '../../cdk8s/release-record';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { KubeApiDouble } from '../support/kube-api-double';
import { freePort, startPrometheus, type TestPrometheus } from '../support/prometheus';
import { waitFor } from '../support/wait-for';
import { ArgoCdSync } from './argo-cd-sync';
import { application, deployment, pod } from './cluster-objects';
import { image, record } from './fixtures';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const namespace = ENVIRONMENTS.dev.namespace;
const good = image('good');
const bad = image('bad');
const ghost = image('ghost');
const previous = image('previous');
/** Test SLO settings: the dev thresholds and policies over a window short enough for a test. */
const WINDOW = ['--window', '8s', '--interval', '2s', '--min-samples', '3', '--cluster-timeout', '20s', '--poll', '1s'];

let db: TestDatabase;
let prometheus: TestPrometheus;
let remote: GitopsRemote;
let dir: string;
let kubeconfig: string;
const api = new KubeApiDouble();
const services: ChildProcess[] = [];
let load: { stop: () => Promise<void> } | undefined;
const ports = { good: 0, bad: 0 };

function node(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code: code ?? -1, stdout, stderr })));
}

async function startService(release: string, databaseUrl: string): Promise<number> {
  const port = await freePort();
  const child = node(['service/main.ts', 'serve'], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HELLO_RELEASE: release,
    LOG_LEVEL: 'warn',
    DATA_DIR: join(dir, release),
    SHUTDOWN_GRACE_SECONDS: '1',
  });
  services.push(child);
  await waitFor(`service ${release} to listen`, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
    timeoutMs: 30_000,
    everyMs: 200,
    retryErrors: true,
  });
  return port;
}

/** About 20 requests a second to each instance: saves and reads of a birthday. */
function generateLoad(): { stop: () => Promise<void> } {
  let running = true;
  const loop = async (port: number, user: string) => {
    const base = `http://127.0.0.1:${port}/hello/${user}`;
    while (running) {
      const signal = AbortSignal.timeout(2000);
      await fetch(base, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dateOfBirth: '1990-05-17' }),
        signal,
      }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      await fetch(base, { signal }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const loops = [loop(ports.good, 'alice'), loop(ports.bad, 'bob')];
  return { stop: async () => void ((running = false), await Promise.all(loops)) };
}

async function release(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return finished(
    node(['release/main.ts', ...args, '--gitops', remote.url], {
      KUBECONFIG: kubeconfig,
      PROMETHEUS_URL: prometheus.url,
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@example.com',
    }),
  );
}

/** What Argo CD and Kubernetes would show once the latest dev commit is applied: synced, healthy, rolled out. */
async function clusterRuns(img: string, rel: string): Promise<void> {
  api.clear();
  api.put(
    application('dev', { revision: await remote.head(), finishedAt: new Date().toISOString() }),
    deployment('dev', { image: img, release: rel, desired: 1 }),
    pod('dev', `hello-app-${rel}-x1`, img, rel),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'release-e2e-'));
  db = await createTestDatabase('release_e2e');
  const migrate = await finished(node(['service/main.ts', 'migrate'], { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
  if (migrate.code !== 0) throw new Error(`migrate failed: ${migrate.stderr}${migrate.stdout}`);
  ports.good = await startService('good', db.url);
  ports.bad = await startService('bad', 'postgresql://postgres:postgres@127.0.0.1:1/unreachable');
  prometheus = await startPrometheus({
    scrapeInterval: '1s',
    targets: [
      { job: 'hello-good', address: `127.0.0.1:${ports.good}`, labels: { namespace } },
      { job: 'hello-bad', address: `127.0.0.1:${ports.bad}`, labels: { namespace } },
    ],
  });
  load = generateLoad();
  remote = await createGitopsRemote([
    record('dev', previous, previous),
    record('staging', previous, previous),
    record('prod', previous, previous),
  ]);
  await api.start();
  kubeconfig = await api.writeKubeconfig(dir);
  // Both releases' requests are in Prometheus before any verify starts.
  await waitFor(
    'both releases scraped',
    async () => {
      const r = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent('count(http_requests_total{release=~"good|bad",route!~"/healthz|/readyz|/metrics"})')}`,
      );
      const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? 0) >= 2;
    },
    { timeoutMs: 30_000, everyMs: 200, retryErrors: true },
  );
});

afterAll(async () => {
  await load?.stop();
  for (const s of services) s.kill('SIGTERM');
  await Promise.all(
    services.map((s) =>
      s.exitCode !== null
        ? Promise.resolve()
        : new Promise((r) => {
            const force = setTimeout(() => s.kill('SIGKILL'), 5000);
            s.once('exit', () => r(clearTimeout(force)));
          }),
    ),
  );
  await prometheus?.stop();
  await api.stop();
  await remote?.cleanup();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

test('verify started while Argo CD runs a slow migration hook waits for the sync, then passes; the release is promoted', async () => {
  // The migration (a Sync hook in wave 0) takes 8 s: all that time Argo CD shows the new revision OutOfSync with
  // its operation Running, and the Deployment (wave 1) still runs the previous image, fully rolled out.
  const argo = new ArgoCdSync(api, remote, 'dev', { hookMs: 8000, hookUntilReads: 3, rolloutMs: 1000 });
  await argo.start();
  let verified: Awaited<ReturnType<typeof release>>;
  let seconds: number;
  try {
    const deployed = await release('deploy', '--env', 'dev', '--image', good, '--version', 'good');
    expect(deployed.code).toBe(0);
    const started = Date.now();
    verified = await release('verify', '--env', 'dev', ...WINDOW);
    seconds = (Date.now() - started) / 1000;
  } finally {
    await argo.stop();
  }
  const oldImageDuringHook = `runs ${releaseId(previous)} (complete)`;
  expect(argo.states.some((s) => s.includes('operation Running') && s.endsWith(oldImageDuringHook))).toBe(true);
  expect({ code: verified.code, out: verified.stdout, err: verified.stderr }).toMatchObject({ code: 0 });
  expect(verified.stderr).toMatch(
    /waiting for .*sync of [0-9a-f]{12} Running: waiting for completion of hook batch\/Job\/hello-app-migrate/,
  );
  expect((await remote.record('dev')).bad).toEqual([]);
  expect(verified.stdout).toMatch(/errorRatio\s+pass\s+≤ 0\.05 ratio/);
  expect(verified.stdout).toMatch(/errorRatio query: .*release="good"/);
  expect((await remote.record('dev')).lastVerified?.image).toBe(good);
  expect(await remote.message()).toMatch(
    /^release\(dev\): verify good: passed[\s\S]*gates: traffic [\d.]+ req\/s, errorRatio 0, latencyP99 [\d.]+ s/,
  );
  process.stdout.write(
    `e2e: verify of a healthy release during an 8 s migration hook took ${seconds.toFixed(1)} s (window 8s, interval 2s)\n`,
  );

  const promoted = await release('promote', '--from', 'dev', '--to', 'staging');
  expect(promoted.code).toBe(0);
  expect((await remote.record('staging')).current).toMatchObject({ image: good, from: 'dev', action: 'promote' });
});

test("a sync that fails in its migration hook fails verify with Argo CD's message, and the old image keeps running", async () => {
  const broken = image('broken-migration');
  const argo = new ArgoCdSync(api, remote, 'dev', {
    hookMs: 1000,
    hookFailure: 'Job has reached the specified backoff limit',
  });
  await argo.start();
  let verified: Awaited<ReturnType<typeof release>>;
  try {
    expect((await release('deploy', '--env', 'dev', '--image', broken, '--version', 'broken')).code).toBe(0);
    verified = await release('verify', '--env', 'dev', ...WINDOW);
  } finally {
    await argo.stop();
  }
  expect(verified.code).toBe(1);
  expect(verified.stdout).toMatch(
    /argocd-operation: sync of [0-9a-f]{12} Failed: one or more synchronization tasks completed unsuccessfully, reason: Job has reached the specified backoff limit/,
  );
  expect((await remote.record('dev')).bad.map((b) => b.image)).toEqual([broken]);
  expect(argo.states.at(-1)).toMatch(/operation Failed .* runs good \(complete\)/);
});

test('a release breaching the error-ratio threshold fails verify (exit 1) and is rolled back to the last verified release', async () => {
  expect((await release('deploy', '--env', 'dev', '--image', bad, '--version', 'bad')).code).toBe(0);
  await clusterRuns(bad, 'bad');
  const verified = await release('verify', '--env', 'dev', '--json', ...WINDOW);
  expect(verified.code).toBe(1);
  const result = JSON.parse(verified.stdout) as {
    outcome: string;
    detail: { analysis: { gates: { gate: string; verdict: { outcome: string; rule: string } }[] } };
  };
  expect(result.outcome).toBe('fail');
  expect(result.detail.analysis.gates.find((g) => g.gate === 'errorRatio')?.verdict).toMatchObject({
    outcome: 'fail',
    rule: 'consecutiveFailureLimit 2',
  });
  expect((await remote.record('dev')).bad.map((b) => b.image)).toContain(bad);

  const rolledBack = await release('rollback', '--env', 'dev', '--reason', 'verify failed: error ratio 1 > 0.05');
  expect(rolledBack.code).toBe(0);
  const dev = await remote.record('dev');
  expect(dev.current).toMatchObject({ image: good, action: 'rollback' });
  expect(await remote.message()).toMatch(
    /^release\(dev\): roll back to good from bad[\s\S]*why: verify failed: error ratio 1 > 0\.05/,
  );
  // The bad image can never be promoted: staging still runs the good one.
  expect((await remote.record('staging')).current?.image).toBe(good);
});

test('Prometheus down: verify cannot decide (exit 2) and writes nothing', async () => {
  await clusterRuns(good, 'good');
  const before = await remote.head();
  const down = `http://127.0.0.1:${await freePort()}`;
  const verified = await release('verify', '--env', 'dev', '--prometheus-url', down, ...WINDOW);
  expect(verified.code).toBe(2);
  expect(verified.stdout).toMatch(/consecutiveErrorLimit 2: 3 measurement errors in a row.*unreachable/);
  expect(await remote.head()).toBe(before);
});

test('no data for the release: blocked as the policy says (traffic: no data fails → exit 1), nothing written', async () => {
  expect((await release('deploy', '--env', 'dev', '--image', ghost, '--version', 'ghost')).code).toBe(0);
  await clusterRuns(ghost, 'ghost');
  const before = await remote.head();
  const verified = await release('verify', '--env', 'dev', ...WINDOW);
  expect(verified.code).toBe(1);
  expect(verified.stdout).toMatch(/traffic\s+fail.*noData fail|counts as a failure \(noData fail\)/);
  expect(verified.stdout).toMatch(/failed on missing data, nothing written/);
  expect(await remote.head()).toBe(before);
  expect((await remote.record('dev')).bad.map((b) => b.image)).not.toContain(ghost);
});

test('status shows each environment, where its release came from and its last verdict', async () => {
  const shown = await release('status', '--json');
  expect(shown.code).toBe(0);
  const rows = (
    JSON.parse(shown.stdout) as {
      detail: {
        env: string;
        release?: string;
        from?: string;
        lastVerdict?: { outcome: string };
        lastVerified?: { release: string };
      }[];
    }
  ).detail;
  expect(rows.find((r) => r.env === 'staging')).toMatchObject({
    release: 'good',
    from: 'dev',
    lastVerified: { release: releaseId(previous) },
  });
  expect(rows.find((r) => r.env === 'dev')).toMatchObject({
    release: 'ghost',
    lastVerdict: { outcome: 'failed' },
    lastVerified: { release: 'good' },
  });
});
