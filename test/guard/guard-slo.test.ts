// The guard end to end with real parts: the real service (HELLO_RELEASE labels its metrics) scraped by a real
// Prometheus under generated load, its database behind a TCP proxy the test can cut, real git (a bare remote of
// this repository's gitops/ folder, the real cdk8s synth), and the Kubernetes API double for the Application,
// Deployment, Events and Lease. A healthy release stays; one that turns bad after it passed verify is rolled back
// exactly once, with the commit and the Event to show; Prometheus down or empty writes nothing.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { releaseId, type ReleaseRecord } from '../../cdk8s/release-record';
import { TcpProxy } from '../database/tcp-proxy';
import { runService, type ServiceProcess } from '../process/service-process';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/database';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { startPrometheus, type TestPrometheus } from '../support/prometheus';
import { waitFor } from '../support/wait-for';
import { image } from '../release/fixtures';
import {
  events,
  kubeConfig,
  NAMESPACE,
  policyApi,
  reconciler,
  showLive,
  showPolicy,
  startGuard,
  testPolicy,
} from './guard-harness';

jest.setTimeout(180_000);

const env = 'dev' as const;
const v1 = image('v1');
const v2 = image('v2');
const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-02T00:00:00.000Z';

/** dev runs v2, which passed verify after v1 did: the guard's job starts after that. */
const verifiedV2: ReleaseRecord = {
  environment: env,
  current: { image: v2, release: releaseId(v2), since: T1, from: 'build', action: 'deploy' },
  lastVerified: { image: v2, release: releaseId(v2), verifiedAt: T1 },
  bad: [],
  history: [
    {
      at: T0,
      action: 'verify',
      image: v1,
      release: releaseId(v1),
      from: env,
      outcome: 'passed',
      reason: 'all gates passed',
    },
    { at: T1, action: 'deploy', image: v2, release: releaseId(v2), from: 'build', outcome: 'succeeded' },
    {
      at: T1,
      action: 'verify',
      image: v2,
      release: releaseId(v2),
      from: env,
      outcome: 'passed',
      reason: 'all gates passed',
    },
  ],
};

const api = policyApi();
let kc: k8s.KubeConfig;
let dir: string;
let db: TestDatabase;
let proxy: TcpProxy;
let service: ServiceProcess;
let prometheus: TestPrometheus;
let stopLoad = false;
let load: Promise<void>;

function call(port: number, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'guard-'));
  kc = kubeConfig(await api.writeKubeconfig(dir));
  db = await createTestDatabase('guard');
  const admin = new URL(ADMIN_URL);
  proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port) });
  await proxy.start();
  const base = { DATABASE_URL: proxy.urlFor(db.url), PORT: '0', LOG_LEVEL: 'warn', HELLO_RELEASE: releaseId(v2) };
  expect(await runService(['migrate'], base).exited).toBe(0);
  service = runService(['serve'], { ...base, LOG_LEVEL: 'info' });
  const port = (await service.waitForLine((l) => typeof l.port === 'number' && String(l.msg).startsWith('listening')))
    .port as number;
  prometheus = await startPrometheus({
    targets: [{ job: 'hello-app', address: `127.0.0.1:${port}`, labels: { namespace: NAMESPACE(env) } }],
    scrapeInterval: '1s',
  });
  // About 20 requests a second, writes and reads: writes always reach the database.
  load = (async () => {
    for (let n = 0; !stopLoad; n++) {
      const name = `Guard${'abcdefghij'[n % 10]}`;
      await (n % 2 === 0
        ? call(port, 'PUT', `/hello/${name}`, '{"dateOfBirth":"1990-03-04"}')
        : call(port, 'GET', `/hello/${name}`));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  // Ten seconds of history (the test window) before any evaluation.
  await waitFor(
    "a full window of the release's traffic in Prometheus",
    async () => {
      const q = `count_over_time(http_requests_total{release="${releaseId(v2)}",route="/hello/:username"}[10s])`;
      const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
        data: { result: { value: [number, string] }[] };
      };
      return body.data.result.some((r) => Number(r.value[1]) >= 10);
    },
    { timeoutMs: 60_000, everyMs: 500, retryErrors: true },
  );
});

afterAll(async () => {
  stopLoad = true;
  await load;
  service?.child.kill('SIGTERM');
  await service?.exited;
  await prometheus?.stop();
  await proxy?.stop();
  await db?.drop();
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a release that passed verify, watched by the guard', () => {
  let remote: GitopsRemote;
  let guard: ReturnType<typeof startGuard>;

  beforeAll(async () => {
    remote = await createGitopsRemote([verifiedV2]);
    api.clear();
    showLive(api, env, v2);
    showPolicy(api, env);
  });
  afterAll(async () => {
    await guard?.guard.stop();
    await remote?.cleanup();
  });

  test('stays while it is healthy: healthy verdicts, one Event, nothing written', async () => {
    const before = await remote.head();
    guard = startGuard({ kc, gitops: remote.url, prometheusUrl: prometheus.url }, env);
    await waitFor(
      'three healthy verdicts',
      () => guard.results.filter((r) => r.verdict === 'healthy').length >= 3 || undefined,
      { timeoutMs: 60_000, everyMs: 200 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}; verdicts: ${guard.results.map((r) => `${r.verdict}: ${r.reason}`).join(' | ')}`);
    });
    expect(guard.results.filter((r) => r.verdict === 'breach' || r.rollback)).toEqual([]);
    expect(await remote.head()).toBe(before);
    const healthy = (await events(kc)).filter((e) => e.reason === 'ReleaseHealthy');
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toMatchObject({
      type: 'Normal',
      action: 'Evaluate',
      reportingController: 'hello-app.dev/release-guard',
      reportingInstance: 'guard-test',
      regarding: { kind: 'ReleasePolicy', name: 'hello-app', namespace: 'hello-dev' },
    });
    expect(await guard.metrics.registry.getSingleMetricAsString('release_guard_leader')).toMatch(
      /release_guard_leader 1/,
    );
  });

  test('turns bad when its database goes away: rolled back to v1 exactly once, with the commit and the Event', async () => {
    const before = await remote.head();
    const breachStart = Date.now();
    await proxy.stop();
    await waitFor('the rollback commit on the remote', async () => (await remote.head()) !== before, {
      timeoutMs: 90_000,
      everyMs: 100,
      retryErrors: true,
    });
    const breachToCommitMs = Date.now() - breachStart;
    console.log(
      `release guard: breach → rollback commit in ${(breachToCommitMs / 1000).toFixed(1)} s (window 10s, gate interval 2s, guard interval 1s, 2 failed evaluations)`,
    );

    const message = await remote.message();
    expect(message).toMatch(new RegExp(`^release\\(dev\\): roll back to ${releaseId(v1)} from ${releaseId(v2)}`));
    expect(message).toMatch(
      /why: release guard: 2 consecutive failed evaluations of \w+; last: errorRatio: 2 failed measurements in a row/,
    );
    expect(message).toMatch(/gates: traffic [\d.]+ req\/s, errorRatio [\d.]+/);
    expect(message).toContain('actor: hello-app.dev/release-guard guard-test');
    const dev = await remote.record(env);
    expect(dev.current).toMatchObject({ image: v1, action: 'rollback' });
    expect(dev.bad.map((b) => b.image)).toEqual([v2]);
    expect(await remote.file('gitops/dev/deployment-hello-app.yaml')).toContain(v1);

    // The Events of the evaluation that rolled back are written just after its commit: wait for them, not race.
    await waitFor(
      'the breach and rollback Events',
      async () => {
        const reasons = (await events(kc)).map((e) => e.reason);
        return reasons.includes('RollbackCommitted') && reasons.filter((r) => r === 'ReleaseBreach').length >= 2;
      },
      { timeoutMs: 10_000, everyMs: 100 },
    );
    const rolledBack = (await events(kc)).filter((e) => e.reason === 'RollbackCommitted');
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]).toMatchObject({ type: 'Warning', action: 'Rollback' });
    expect(rolledBack[0]!.note).toContain(`commit ${await remote.head()}`);
    expect(rolledBack[0]!.note).toContain(`${v2} marked bad`);

    // Argo CD has not applied the rollback yet: the guard waits, it does not roll back again.
    const seen = guard.results.length;
    await waitFor('three more reconciles', () => guard.results.length >= seen + 3, { timeoutMs: 30_000, everyMs: 200 });
    expect(guard.results.slice(seen).every((r) => r.verdict === 'skipped' && /not applied yet/.test(r.reason))).toBe(
      true,
    );
    // Argo CD applies it: v1 has no series yet, which holds (never a pass, never a write).
    showLive(api, env, v1);
    const applied = guard.results.length;
    await waitFor(
      'two evaluations of v1',
      () =>
        guard.results.slice(applied).filter((r) => r.release === releaseId(v1) && r.verdict !== 'skipped').length >= 2,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(
      guard.results
        .slice(applied)
        .filter((r) => r.verdict !== 'skipped')
        .every((r) => r.verdict === 'held'),
    ).toBe(true);
    expect((await remote.subjects()).filter((s) => /roll back/.test(s))).toHaveLength(1);
    expect(await guard.metrics.registry.getSingleMetricAsString('release_guard_rollbacks_total')).toMatch(
      /release_guard_rollbacks_total\{env="dev",result="committed"\} 1/,
    );
    await proxy.start();
  });
});

describe('uncertainty never writes', () => {
  let remote: GitopsRemote;
  let empty: TestPrometheus;
  beforeAll(async () => {
    remote = await createGitopsRemote([verifiedV2]);
    api.clear();
    showLive(api, env, v2);
    showPolicy(api, env);
    empty = await startPrometheus();
  });
  afterAll(async () => {
    await empty?.stop();
    await remote?.cleanup();
  });

  test.each([
    ['Prometheus down (connection refused)', () => 'http://127.0.0.1:9', /unreachable/],
    [
      'Prometheus empty (no series for the release)',
      () => empty.url,
      /measurements without data, more than the \d+ allowed \(noData hold\).*\(inconclusiveLimit \d+\)$/,
    ],
  ])('%s: every evaluation holds, nothing is committed', async (_name, url, why) => {
    const before = await remote.head();
    const { reconciler: r } = reconciler({ kc, gitops: remote.url, prometheusUrl: url() }, env);
    for (let i = 0; i < 3; i++) {
      const result = await r.reconcile(testPolicy(env));
      expect(result.verdict).toBe('held');
      expect(result.reason).toMatch(why);
      expect(result.rollback).toBeUndefined();
    }
    expect(await remote.head()).toBe(before);
    expect((await events(kc)).filter((e) => e.reason === 'ReleaseHeld').length).toBeGreaterThanOrEqual(1);
  });

  test('a cluster read error holds and writes nothing', async () => {
    const before = await remote.head();
    const { reconciler: r } = reconciler({ kc, gitops: remote.url, prometheusUrl: prometheus.url }, env);
    api.failWith = 503;
    try {
      const result = await r.reconcile(testPolicy(env));
      expect(result).toMatchObject({ verdict: 'held' });
      expect(result.reason).toMatch(/Kubernetes API read failed \(HTTP 503\)/);
    } finally {
      api.failWith = undefined;
    }
    expect(await remote.head()).toBe(before);
  });
});
