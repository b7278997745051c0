// The guard as an operator, end to end: a real `release guard` process follows dev's ReleasePolicy in the Kubernetes
// API double (CRD semantics: status subresource, generation, conflicts, watch), judges a release scraped by a real
// Prometheus and rolls it back through real git. Its status moves Ready → Healthy → Breaching → RolledBack as the
// release turns bad; a status write that meets a concurrent change is re-read and retried; a spec change is picked
// up without a restart; `suspend: true` stops every write.
import { createServer, type Server } from 'node:http';
import { METRICS } from '../../contract/runtime';
import { RELEASE_POLICY_API, type ReleasePolicy } from '../../cdk8s/release-policy';
import { releaseId } from '../../cdk8s/release-record';
import { waitFor } from '../support/wait-for';
import { image, record } from '../release/fixtures';
import { policyApi, POLICY_NAME, showPolicy, storedPolicy } from './guard-harness';
import { runGuardProcess, testGuardArgs, type GuardProcess } from './guard-process';
import { startGuardWorld, type GuardWorld } from './guard-world';

jest.setTimeout(240_000);

const env = 'dev' as const;
const v1 = image('v1');
const v2 = image('v2');
/** dev runs v2; v1 passed verify before it: a rollback has somewhere to go. */
const running = record(env, v2, v1);

const api = policyApi();
let world: GuardWorld;
let guard: GuardProcess;
/** The share of v2's requests answered 500: the test turns the release bad by raising it. */
let errorShare = 0;
/** Every status verdict the policy showed, in order, without repeats. */
const verdicts: string[] = [];
let watching: NodeJS.Timeout;

/** A scrape target exporting what v2's pods would: 10 requests a second, answered in under 10 ms. */
function release(): Server {
  let last = Date.now();
  const counts = { ok: 0, failed: 0 };
  return createServer((_req, res) => {
    const n = ((Date.now() - last) / 1000) * 10;
    last = Date.now();
    counts.ok += n * (1 - errorShare);
    counts.failed += n * errorShare;
    const total = counts.ok + counts.failed;
    const L = METRICS.labels;
    const base = `${L.route}="/hello/:username",${L.method}="GET",${L.release}="${releaseId(v2)}"`;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        `${METRICS.requestsTotal}{${base},${L.statusCode}="200"} ${counts.ok}`,
        `${METRICS.requestsTotal}{${base},${L.statusCode}="500"} ${counts.failed}`,
        `${METRICS.requestDuration}_bucket{${base},le="0.005"} 0`,
        `${METRICS.requestDuration}_bucket{${base},le="0.01"} ${total}`,
        `${METRICS.requestDuration}_bucket{${base},le="+Inf"} ${total}`,
        '',
      ].join('\n'),
    );
  });
}

const policy = (): ReleasePolicy => storedPolicy(api, env);
const condition = (type: string) => policy().status?.conditions?.find((c) => c.type === type);
/** Writes the guard made to the policy's status or as Events, as the double answered them. */
const policyWrites = () =>
  api.answered.filter(
    (r) =>
      (r.method === 'PUT' && r.path.endsWith(`/${POLICY_NAME}/status`)) ||
      (r.method === 'POST' && r.path.endsWith('/events')),
  );

beforeAll(async () => {
  world = await startGuardWorld(api, { env, live: v2, record: running, release: release() });
  const { prometheus } = world;
  // A full window (10 s) of the release's series before the guard looks, so its first verdict is a real one.
  await waitFor(
    'a full window of the release in Prometheus',
    async () => {
      const q = `count_over_time(${METRICS.requestsTotal}{release="${releaseId(v2)}"}[10s])`;
      const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
        data: { result: { value: [number, string] }[] };
      };
      return body.data.result.some((r) => Number(r.value[1]) >= 10);
    },
    { timeoutMs: 60_000, everyMs: 500, retryErrors: true },
  );
  watching = setInterval(() => {
    const v = policy()?.status?.verdict;
    if (v && verdicts.at(-1) !== v) verdicts.push(v);
  }, 20);
  guard = runGuardProcess('guard-a', testGuardArgs({ env, gitops: world.remote.url, prometheusUrl: prometheus.url }), {
    KUBECONFIG: world.kubeconfig,
  });
});

afterAll(async () => {
  clearInterval(watching);
  await world?.stop(guard ? [guard] : []);
});

const every = { everyMs: 50, timeoutMs: 90_000 };

test('a healthy release: Ready and Healthy, each gate against its threshold, for the generation it read', async () => {
  await waitFor('a Healthy status', () => verdicts.at(-1) === 'Healthy', every);
  const s = policy().status!;
  expect(s.observedGeneration).toBe(1);
  expect(condition('Ready')).toMatchObject({ status: 'True', reason: 'Reconciling', observedGeneration: 1 });
  expect(condition('Healthy')).toMatchObject({ status: 'True', reason: 'EvaluationPassed' });
  expect(s.live).toMatchObject({ image: v2, release: releaseId(v2) });
  expect(s.lastVerifiedImage).toBe(v1);
  const errorRatio = s.lastEvaluation!.gates.find((g) => g.name === 'errorRatio')!;
  expect(errorRatio).toMatchObject({ threshold: 0.05, bound: 'max', outcome: 'pass', value: 0 });
  expect(verdicts[0]).toBe('Healthy');
});

test('a status write that meets a concurrent change is re-read and written again, keeping the other change', async () => {
  const seen = api.answered.length;
  // Someone labels the policy just before the guard's next status write: its resourceVersion is stale.
  api.before(new RegExp(`^PUT .*/${RELEASE_POLICY_API.plural}/${POLICY_NAME}/status$`), () => {
    const p = policy();
    api.putAs(RELEASE_POLICY_API.plural, {
      ...(p as unknown as Parameters<typeof api.putAs>[1]),
      metadata: { ...p.metadata, labels: { ...p.metadata.labels, 'example.com/audited': 'yes' } },
    });
  });
  await waitFor(
    'the conflict and the write after it',
    () => {
      const after = api.answered
        .slice(seen)
        .filter((r) => r.path.endsWith(`/${POLICY_NAME}/status`) || r.path.endsWith(`/${POLICY_NAME}`));
      const conflict = after.findIndex((r) => r.method === 'PUT' && r.status === 409);
      return conflict >= 0 && after.slice(conflict).some((r) => r.method === 'PUT' && r.status === 200);
    },
    every,
  );
  const after = api.answered
    .slice(seen)
    .filter((r) => r.path.includes(`/${POLICY_NAME}`))
    .map((r) => `${r.method} ${r.status}`);
  const conflict = after.indexOf('PUT 409');
  expect(after.slice(conflict, conflict + 3)).toEqual(['PUT 409', 'GET 200', 'PUT 200']);
  expect(policy().metadata.labels?.['example.com/audited']).toBe('yes');
  await guard.waitForLine((l) => l.msg === 'status write met a conflict: re-read the policy and wrote again', 10_000);
});

test('the release turns bad: Breaching, then RolledBack with the rollback commit, image and target', async () => {
  const before = await world.remote.head();
  errorShare = 0.3;
  await waitFor('a RolledBack status', () => verdicts.at(-1) === 'RolledBack', every);
  expect(verdicts).toEqual(['Healthy', 'Breaching', 'RolledBack']);
  const head = await world.remote.head();
  expect(head).not.toBe(before);
  expect(policy().status!.lastRollback).toMatchObject({ image: v2, to: v1, commit: head });
  expect(condition('RolledBack')).toMatchObject({ status: 'True', reason: 'RollbackCommitted' });
  expect(condition('RolledBack')!.message).toContain(head.slice(0, 12));
  expect((await world.remote.record(env)).current?.image).toBe(v1);
});

test('a spec change is followed without a restart: the next status is for the new generation', async () => {
  const pid = guard.child.pid;
  showPolicy(api, env, { interval: '2s' });
  expect(policy().metadata.generation).toBe(2);
  await waitFor('observedGeneration 2', () => policy().status?.observedGeneration === 2, every);
  expect(condition('Ready')!.observedGeneration).toBe(2);
  expect(guard.child.pid).toBe(pid);
  expect(guard.child.exitCode).toBeNull();
});

test('suspend: true stops every write: no status, no Event, no commit', async () => {
  const head = await world.remote.head();
  showPolicy(api, env, { interval: '2s', suspend: true });
  await guard.waitForLine((l) => l.msg === 'ReleasePolicy suspended: nothing is evaluated or written', 15_000);
  const writes = policyWrites().length;
  const status = policy().status;
  // Three intervals of the suspended policy.
  await new Promise((r) => setTimeout(r, 6000));
  expect(policyWrites().length).toBe(writes);
  expect(policy().status).toEqual(status);
  expect(await world.remote.head()).toBe(head);
  expect(guard.child.exitCode).toBeNull();
});
