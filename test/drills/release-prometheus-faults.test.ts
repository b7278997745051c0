// Drill: `verify` against a Prometheus that is unreachable, slow, answering errors or garbage, or returning empty
// results, with the cluster healthy (the labelled Kubernetes API double, through the real client). The tool never
// passes a release it could not measure: it exits 2 (cannot decide) — or 1 where the policy says no data fails —
// and writes nothing to the gitops remote.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { GatePolicy } from '../../cdk8s/environments';
import { verify } from '../../release/actions/verify';
import { KubernetesClusterReader } from '../../release/cluster/cluster-reader';
import { cdk8sSynth } from '../../release/default-synth';
import { exitCode } from '../../release/gates/outcomes';
import { PrometheusProvider } from '../../release/gates/prometheus-provider';
import { application, deployment, pod } from '../release/cluster-objects';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { KubeApiDouble } from '../support/kube-api-double';
import { freePort } from '../support/prometheus';
import { ms, recordFigures } from './figures';

jest.setTimeout(60_000);

type Fault = 'unreachable' | 'slow' | 'HTTP 500' | 'HTTP 503 JSON error' | 'status error' | 'not JSON' | 'empty';
const TIMEOUT_MS = 300;
const running = image('running');
const previous = image('previous');

/** A fake Prometheus HTTP API misbehaving in one way, counting the queries it was asked. */
async function faultyPrometheus(
  fault: Fault,
): Promise<{ url: string; queries: () => number; close: () => Promise<void> }> {
  if (fault === 'unreachable')
    return { url: `http://127.0.0.1:${await freePort()}`, queries: () => 0, close: async () => undefined };
  let queries = 0;
  const server: Server = createServer((req, res) => {
    queries += 1;
    req.resume();
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (fault) {
      case 'slow':
        return void setTimeout(
          () => json(200, { status: 'success', data: { resultType: 'vector', result: [] } }),
          TIMEOUT_MS * 5,
        ).unref();
      case 'HTTP 500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        return void res.end('internal error');
      case 'HTTP 503 JSON error':
        return json(503, { status: 'error', errorType: 'unavailable', error: 'too many queries' });
      case 'status error':
        return json(200, {
          status: 'error',
          errorType: 'execution',
          error: 'query processing would load too many samples',
        });
      case 'not JSON':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"status":"succ');
      case 'empty':
        return json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    queries: () => queries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const api = new KubeApiDouble();
let dir: string;
let reader: KubernetesClusterReader;
let remote: GitopsRemote;
beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'drill-release-'));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(await api.writeKubeconfig(dir));
  reader = new KubernetesClusterReader(kc);
  remote = await createGitopsRemote([record('dev', running, previous)]);
  // Argo CD applied the pushed revision long ago; the rollout is complete and nothing restarted.
  const release = (await remote.record('dev')).current!.release;
  api.put(
    application('dev', { revision: await remote.head(), finishedAt: '2025-01-01T00:00:00Z' }),
    deployment('dev', { image: running, release, desired: 1 }),
    pod('dev', `hello-app-${release}-a`, running, release),
  );
});
afterAll(async () => {
  await api.stop();
  await remote.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A clock that never really waits: the window is judged at once. */
function instantClock() {
  let now = Date.now();
  return { now: () => new Date(now), sleep: async (waitMs: number) => void (now += waitMs) };
}

const HOLD: GatePolicy = {
  failureLimit: 2,
  consecutiveFailureLimit: 2,
  inconclusiveLimit: 3,
  consecutiveErrorLimit: 2,
  noData: 'hold',
};

test.each<{ fault: Fault; policy?: 'hold'; exit: number }>([
  { fault: 'unreachable', exit: 2 },
  { fault: 'slow', exit: 2 },
  { fault: 'HTTP 500', exit: 2 },
  { fault: 'HTTP 503 JSON error', exit: 2 },
  { fault: 'status error', exit: 2 },
  { fault: 'not JSON', exit: 2 },
  // dev's policy: no traffic data counts as a failure (exit 1); every other "no data" holds the decision (exit 2).
  { fault: 'empty', exit: 1 },
  { fault: 'empty', policy: 'hold', exit: 2 },
])('Prometheus $fault (no data: $policy): verify exits $exit and writes nothing', async ({ fault, policy, exit }) => {
  const prometheus = await faultyPrometheus(fault);
  const before = await remote.head();
  const started = performance.now();
  try {
    const result = await verify(
      { gitops: remote.url, synth: cdk8sSynth, actor: 'drill' },
      {
        env: 'dev',
        provider: new PrometheusProvider({ url: prometheus.url, timeoutMs: TIMEOUT_MS }),
        cluster: reader,
        slo: {
          window: '8s',
          interval: '2s',
          minSamples: 3,
          ...(policy ? { gates: { traffic: HOLD, errorRatio: HOLD, latencyP99: HOLD } } : {}),
        },
        clusterTimeoutMs: 5_000,
        pollMs: 100,
        clock: instantClock(),
      },
    );
    const code = exitCode(result.outcome);
    const after = await remote.head();
    recordFigures('release: Prometheus faults', `${fault}${policy ? ' (no data holds)' : ''}`, {
      'exit code': code,
      outcome: result.outcome,
      'queries received': prometheus.queries(),
      'written to gitops': String(after !== before),
      ms: ms(performance.now() - started),
    });
    expect(code).toBe(exit);
    expect(result.commit).toBeUndefined();
    expect(after).toBe(before);
    expect(result.summary).toMatch(/nothing written/);
  } finally {
    await prometheus.close();
  }
});
