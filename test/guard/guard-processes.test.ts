// Two real `release guard` processes against the Kubernetes API double with Lease semantics, a real Prometheus
// scraping a release that breaches its error ratio, and real git: only the leader ever writes (the one rollback
// commit, every Event); when the leader dies the other takes over within the lease duration; SIGTERM hands the
// Lease back at once.
import { createServer, type Server } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { METRICS } from '../../contract/runtime';
import { releaseId, type ReleaseRecord } from '../../cdk8s/release-record';
import { waitFor } from '../support/wait-for';
import { image } from '../release/fixtures';
import { events, kubeConfig, policyApi } from './guard-harness';
import { runGuardProcess, TEST_LEASE, testGuardArgs, type GuardProcess } from './guard-process';
import { startGuardWorld, type GuardWorld } from './guard-world';

jest.setTimeout(180_000);

const env = 'dev' as const;
const v1 = image('v1');
const v2 = image('v2');
const LEASE_SECONDS = TEST_LEASE.seconds;
const RETRY_MS = TEST_LEASE.retryMs;
const T0 = '2025-01-01T00:00:00.000Z';
const record: ReleaseRecord = {
  environment: env,
  current: { image: v2, release: releaseId(v2), since: T0, from: 'build', action: 'deploy' },
  lastVerified: { image: v1, release: releaseId(v1), verifiedAt: T0 },
  bad: [],
  history: [{ at: T0, action: 'verify', image: v1, release: releaseId(v1), from: env, outcome: 'passed' }],
};

const api = policyApi();
let world: GuardWorld;
const guards: GuardProcess[] = [];

/** A scrape target exporting what v2's pods would: 10 requests a second, a fifth of them answered 500. */
function badRelease(): Server {
  const started = Date.now();
  return createServer((_req, res) => {
    const n = ((Date.now() - started) / 1000) * 10;
    const l = (status: string) =>
      `{${METRICS.labels.route}="/hello/:username",${METRICS.labels.method}="GET",${METRICS.labels.statusCode}="${status}",${METRICS.labels.release}="${releaseId(v2)}"}`;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      `# TYPE ${METRICS.requestsTotal} counter\n${METRICS.requestsTotal}${l('200')} ${n * 0.8}\n${METRICS.requestsTotal}${l('500')} ${n * 0.2}\n`,
    );
  });
}

// The policy (10 s window, gates every 2 s, an evaluation every second, a rollback after 2 failed ones).
beforeAll(async () => {
  world = await startGuardWorld(api, { env, live: v2, record, release: badRelease() });
});

afterAll(async () => {
  await world?.stop(guards);
});

function guard(identity: string): GuardProcess {
  const g = runGuardProcess(
    identity,
    testGuardArgs({ env, gitops: world.remote.url, prometheusUrl: world.prometheus.url }),
    {
      KUBECONFIG: world.kubeconfig,
    },
  );
  guards.push(g);
  return g;
}

const leading = (l: Record<string, unknown>) => l.msg === 'started leading';
const lease = () =>
  kubeConfig(world.kubeconfig)
    .makeApiClient(k8s.CoordinationV1Api)
    .readNamespacedLease({ name: 'hello-release-guard', namespace: 'hello-platform' });

test('two guards: only the leader writes; it dies, the other takes over within the lease duration; SIGTERM hands the Lease back', async () => {
  const [a, b] = [guard('guard-a'), guard('guard-b')];
  await Promise.all([a, b].map((g) => g.waitForLine((l) => l.msg === 'release guard started', 60_000)));
  const leader = await Promise.race([a, b].map((g) => g.waitForLine(leading, 30_000).then(() => g)));
  const follower = leader === a ? b : a;

  // The release breaches: exactly one rollback, committed by the leader.
  const before = await world.remote.head();
  await waitFor('the rollback commit', async () => (await world.remote.head()) !== before, {
    timeoutMs: 90_000,
    everyMs: 100,
    retryErrors: true,
  });
  const message = await world.remote.message();
  expect(message).toMatch(/^release\(dev\): roll back to /);
  expect(message).toContain(`actor: hello-app.dev/release-guard ${leader.identity}`);
  const written = await events(kubeConfig(world.kubeconfig));
  expect(written.length).toBeGreaterThan(0);
  expect(new Set(written.map((e) => e.reportingInstance))).toEqual(new Set([leader.identity]));
  expect(follower.lines.filter((l) => l.msg === 'release evaluated' || l.msg === 'started leading')).toEqual([]);
  expect((await lease()).spec?.holderIdentity).toBe(leader.identity);

  // Both answer their probes; /metrics says who leads and what the leader did.
  const port = async (g: GuardProcess) =>
    (await g.waitForLine((l) => l.msg === 'release guard started')).port as number;
  const get = async (g: GuardProcess, path: string) => {
    const res = await fetch(`http://127.0.0.1:${await port(g)}${path}`);
    return { status: res.status, text: await res.text() };
  };
  for (const g of [leader, follower]) {
    expect((await get(g, '/healthz')).status).toBe(200);
    expect((await get(g, '/readyz')).status).toBe(200);
  }
  // The counter moves just after the push the remote already shows: wait for it rather than race it.
  const committedRollbacks = /^release_guard_rollbacks_total\{env="dev",result="committed"\} (\d+)$/m;
  await waitFor(
    'the leader to count its rollback',
    async () => committedRollbacks.test((await get(leader, '/metrics')).text),
    { timeoutMs: 10_000, everyMs: 100, retryErrors: true },
  );
  const leaderMetrics = (await get(leader, '/metrics')).text;
  expect(leaderMetrics).toMatch(/^release_guard_leader 1$/m);
  expect(committedRollbacks.exec(leaderMetrics)?.[1]).toBe('1');
  expect(leaderMetrics).toMatch(/^release_guard_verdicts_total\{env="dev",verdict="breach"\} [2-9]$/m);
  expect(leaderMetrics).toMatch(/^release_guard_last_evaluation_timestamp_seconds\{env="dev"\} \d+/m);
  expect((await get(follower, '/metrics')).text).toMatch(/^release_guard_leader 0$/m);
  expect((await get(follower, '/metrics')).text).not.toMatch(/release_guard_evaluations_total\{/);

  // The leader dies without a word: the follower takes over once the renewal it saw is a lease duration old.
  const killedAt = Date.now();
  leader.child.kill('SIGKILL');
  const takeover = await follower.waitForLine(leading, 15_000);
  const takeoverMs = takeover.receivedAt - killedAt;
  console.log(
    `release guard: leader killed → follower leading after ${(takeoverMs / 1000).toFixed(2)} s (lease duration ${LEASE_SECONDS} s, retry ${RETRY_MS} ms)`,
  );
  expect(takeoverMs).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + 4 * RETRY_MS + 500);
  expect((await lease()).spec).toMatchObject({ holderIdentity: follower.identity, leaseTransitions: 1 });
  // The new leader evaluates, finds the rollback not applied yet, and writes no second rollback.
  await follower.waitForLine((l) => l.msg === 'release evaluated' && /not applied yet/.test(String(l.reason)), 15_000);
  expect((await world.remote.subjects()).filter((s) => /roll back/.test(s))).toHaveLength(1);

  // A third replica joins as follower; SIGTERM on the leader releases the Lease and the newcomer takes it at once.
  const c = guard('guard-c');
  await c.waitForLine((l) => l.msg === 'release guard started', 60_000);
  const stoppedAt = Date.now();
  follower.child.kill('SIGTERM');
  expect(await follower.exited).toBe(0);
  await follower.waitForLine((l) => l.msg === 'release guard stopped', 1000);
  const handover = await c.waitForLine(leading, 10_000);
  console.log(
    `release guard: SIGTERM → successor leading after ${((handover.receivedAt - stoppedAt) / 1000).toFixed(2)} s`,
  );
  expect(handover.receivedAt - stoppedAt).toBeLessThan(LEASE_SECONDS * 1000);
  expect((await lease()).spec?.holderIdentity).toBe('guard-c');
  c.child.kill('SIGTERM');
  expect(await c.exited).toBe(0);
  expect((await lease()).spec?.holderIdentity).toBe('');
});
