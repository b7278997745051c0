// The cluster checks through the REAL @kubernetes/client-node client against the Kubernetes API double serving
// recorded-style objects: each row is a state verify can meet and the verdict it must give.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import type { RevisionRelation } from '../../release/cluster/cluster-state';
import { KubernetesClusterReader } from '../../release/cluster/cluster-reader';
import { waitForCluster } from '../../release/cluster/cluster-wait';
import type { Outcome } from '../../release/gates/outcomes';
import { KubeApiDouble, type KubeObject } from '../support/kube-api-double';
import { ruleTable } from '../support/rule-table';
import { application, deployment, pod, type AppStatus, type RolloutStatus } from './cluster-objects';
import { image } from './fixtures';

const env = 'dev' as const;
const namespace = ENVIRONMENTS.dev.namespace;
const pushed = 'a'.repeat(40);
const newer = 'b'.repeat(40);
const older = 'c'.repeat(40);
const img = image('v2');
const release = 'v2';

const api = new KubeApiDouble();
let dir: string;
let reader: KubernetesClusterReader;

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'kube-'));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(await api.writeKubeconfig(dir));
  reader = new KubernetesClusterReader(kc);
});
afterAll(async () => {
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Git ancestry as the action works it out: the pushed commit, a later one containing it, or an older one. */
const relate = async (rev?: string): Promise<RevisionRelation> =>
  rev === pushed ? 'same' : rev === newer ? 'descendant' : rev ? 'older-or-unrelated' : 'unknown';
const healthyApp: AppStatus = { revision: pushed };
const complete: RolloutStatus = { image: img, release };
const twoPods = [pod(env, 'hello-app-7d9c-a', img, release), pod(env, 'hello-app-7d9c-b', img, release)];

interface Row {
  name: string;
  objects: KubeObject[];
  failWith?: number;
  outcome: Outcome;
  decidedBy: RegExp;
}

ruleTable<Row>(
  'cluster checks against recorded API objects',
  [
    {
      name: 'synced, healthy, rolled out with the recorded image and no restarts passes',
      objects: [application(env, healthyApp), deployment(env, complete), ...twoPods],
      outcome: 'pass',
      decidedBy: /rollout is complete/,
    },
    {
      name: 'a later revision that contains the pushed one passes',
      objects: [application(env, { revision: newer }), deployment(env, complete), ...twoPods],
      outcome: 'pass',
      decidedBy: /no restarts/,
    },
    {
      name: 'Synced and Healthy at the wrong (older) revision is not judged: not applied yet',
      objects: [application(env, { revision: older }), deployment(env, complete), ...twoPods],
      outcome: 'inconclusive',
      decidedBy:
        /argocd-revision: not synced yet: Argo CD's last sync was of cccccccccccc, which does not contain aaaaaaaaaaaa/,
    },
    {
      name: 'the pushed revision compared (OutOfSync) but not synced yet waits, though the old image is fully rolled out',
      objects: [
        application(env, { revision: pushed, sync: 'OutOfSync', operationRevision: older }),
        deployment(env, { ...complete, image: image('v1') }),
      ],
      outcome: 'inconclusive',
      decidedBy:
        /not synced yet: .*Argo CD compared aaaaaaaaaaaa \(OutOfSync\).*image: runs .*waiting for Argo CD to apply aaaaaaaaaaaa/,
    },
    {
      name: "while this revision's sync runs its migration hook, the old image fully rolled out is not a failure",
      objects: [
        application(env, {
          revision: pushed,
          sync: 'OutOfSync',
          phase: 'Running',
          message: 'waiting for completion of hook batch/Job/hello-app-migrate',
        }),
        deployment(env, { ...complete, image: image('v1') }),
      ],
      outcome: 'inconclusive',
      decidedBy:
        /argocd-operation: sync of aaaaaaaaaaaa Running: waiting for completion of hook batch\/Job\/hello-app-migrate/,
    },
    {
      name: 'another operation in flight (a sync of an older revision) waits',
      objects: [
        application(env, { revision: pushed, sync: 'OutOfSync', operationRevision: older, phase: 'Running' }),
        deployment(env, { ...complete, image: image('v1') }),
      ],
      outcome: 'inconclusive',
      decidedBy: /another operation in flight \(sync of cccccccccccc Running/,
    },
    {
      name: "a failed sync of an older revision is not this revision's failure",
      objects: [
        application(env, {
          revision: pushed,
          sync: 'OutOfSync',
          operationRevision: older,
          phase: 'Failed',
          message: 'one or more objects failed to apply',
        }),
        deployment(env, { ...complete, image: image('v1') }),
      ],
      outcome: 'inconclusive',
      decidedBy: /last operation, of cccccccccccc, Failed: not this revision's/,
    },
    {
      name: "an errored sync of this revision fails with Argo CD's message",
      objects: [
        application(env, {
          revision: pushed,
          sync: 'OutOfSync',
          phase: 'Error',
          message: 'rpc error: code = Unknown desc = Manifest generation error (cached)',
        }),
        deployment(env, { ...complete, image: image('v1') }),
      ],
      outcome: 'fail',
      decidedBy:
        /argocd-operation: sync of aaaaaaaaaaaa Error: rpc error: code = Unknown desc = Manifest generation error/,
    },
    {
      name: 'synced, but the Deployment controller has not observed the new generation: another image waits',
      objects: [
        application(env, healthyApp),
        deployment(env, { ...complete, image: image('v1'), generation: 8, observedGeneration: 7 }),
      ],
      outcome: 'inconclusive',
      decidedBy: /image: runs .*expected .*\(generation 8 not yet observed\)/,
    },
    {
      name: 'OutOfSync waits',
      objects: [application(env, { revision: pushed, sync: 'OutOfSync' }), deployment(env, complete), ...twoPods],
      outcome: 'inconclusive',
      decidedBy: /argocd-sync: sync status OutOfSync/,
    },
    {
      name: 'Degraded fails',
      objects: [application(env, { revision: pushed, health: 'Degraded' }), deployment(env, complete), ...twoPods],
      outcome: 'fail',
      decidedBy: /argocd-health: health Degraded: Deployment "hello-app" exceeded/,
    },
    {
      name: "a failed sync of this revision fails with Argo CD's message",
      objects: [
        application(env, { revision: pushed, phase: 'Failed', message: 'one or more objects failed to apply' }),
        deployment(env, complete),
        ...twoPods,
      ],
      outcome: 'fail',
      decidedBy: /argocd-operation: sync of aaaaaaaaaaaa Failed: one or more objects failed to apply/,
    },
    {
      name: 'a Deployment mid-rollout waits',
      objects: [
        application(env, { revision: pushed, health: 'Progressing' }),
        deployment(env, { ...complete, updated: 1, ready: 1, total: 3 }),
        ...twoPods,
      ],
      outcome: 'inconclusive',
      decidedBy: /in progress: updated 1\/2, ready 1\/2/,
    },
    {
      name: 'a generation the controller has not observed waits',
      objects: [
        application(env, healthyApp),
        deployment(env, { ...complete, generation: 8, observedGeneration: 7 }),
        ...twoPods,
      ],
      outcome: 'inconclusive',
      decidedBy: /generation 8 not yet observed/,
    },
    {
      name: 'a rollout past its progress deadline fails',
      objects: [
        application(env, healthyApp),
        deployment(env, { ...complete, deadlineExceeded: true, ready: 1 }),
        ...twoPods,
      ],
      outcome: 'fail',
      decidedBy: /progress deadline exceeded/,
    },
    {
      name: 'a complete rollout of another image fails',
      objects: [application(env, healthyApp), deployment(env, { ...complete, image: image('v1') }), ...twoPods],
      outcome: 'fail',
      decidedBy: /image: runs .*expected/,
    },
    {
      name: 'a container that restarted since the rollout began fails',
      objects: [
        application(env, healthyApp),
        deployment(env, complete),
        pod(env, 'hello-app-7d9c-a', img, release),
        pod(env, 'hello-app-7d9c-b', img, release, 2),
      ],
      outcome: 'fail',
      decidedBy: /restarts: hello-app-7d9c-b\/api restarted 2×/,
    },
    {
      name: 'no Application at all waits (and never passes)',
      objects: [deployment(env, complete), ...twoPods],
      outcome: 'inconclusive',
      decidedBy: /Application hello-app-dev not found/,
    },
    {
      name: 'an API server answering 503 is an error',
      objects: [],
      failWith: 503,
      outcome: 'error',
      decidedBy: /Kubernetes API read failed \(HTTP 503\)/,
    },
  ],
  async (row) => {
    api.clear();
    api.put(...row.objects);
    api.failWith = row.failWith;
    const report = await waitForCluster({
      reader,
      target: { env, namespace, release },
      image: img,
      revision: pushed,
      relate,
      timeoutMs: 0,
    });
    expect(report.outcome).toBe(row.outcome);
    expect(report.reason).toMatch(row.decidedBy);
  },
);

/** Waits on the double with a test clock, one second a poll; `then` replaces the objects at the second sleep. */
function waitThrough(then: KubeObject[], onWait?: (what: string) => void) {
  let sleeps = 0;
  const clock = {
    now: () => new Date(1000 * sleeps),
    sleep: async () => {
      sleeps += 1;
      if (sleeps === 2) api.put(...then);
    },
  };
  return waitForCluster({
    reader,
    target: { env, namespace, release },
    image: img,
    revision: pushed,
    relate,
    timeoutMs: 60_000,
    pollMs: 1000,
    clock,
    ...(onWait ? { onWait } : {}),
  });
}

test('verify waits while Argo CD catches up and passes once it has applied the revision', async () => {
  api.failWith = undefined;
  api.clear();
  api.put(
    application(env, { revision: older, sync: 'OutOfSync' }),
    deployment(env, { ...complete, image: image('v1') }),
  );
  const report = await waitThrough([application(env, healthyApp), deployment(env, complete), ...twoPods]);
  expect(report.outcome).toBe('pass');
  expect(report.polls).toBe(3);
  expect(report.appliedAt?.toISOString()).toBe('2025-02-01T10:00:07.000Z');
  expect(api.requests).toContain('GET /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/hello-app-dev');
  expect(api.requests).toContain(`GET /apis/apps/v1/namespaces/${namespace}/deployments/hello-app`);
});

test("verify says what it waits for while this revision's sync runs, and the window starts when that sync finished", async () => {
  api.failWith = undefined;
  api.clear();
  const hook = 'waiting for completion of hook batch/Job/hello-app-migrate';
  api.put(
    application(env, { revision: pushed, sync: 'OutOfSync', phase: 'Running', message: hook }),
    deployment(env, { ...complete, image: image('v1') }),
  );
  const told: string[] = [];
  const report = await waitThrough(
    [application(env, { revision: pushed, finishedAt: '2025-02-01T10:05:00Z' }), deployment(env, complete), ...twoPods],
    (what) => told.push(what),
  );
  expect(report.outcome).toBe('pass');
  expect(report.appliedAt?.toISOString()).toBe('2025-02-01T10:05:00.000Z');
  // Said once, not once per poll, while nothing changed.
  expect(told).toEqual([expect.stringContaining(`argocd-operation: sync of aaaaaaaaaaaa Running: ${hook}`)]);
});

test('the double enforces optimistic concurrency: a PUT with a stale resourceVersion is a 409 Conflict', async () => {
  api.failWith = undefined;
  api.clear();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(join(dir, 'kubeconfig.yaml'));
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  const lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'guard', namespace: 'platform' },
    spec: { holderIdentity: 'a' },
  };
  const created = await coordination.createNamespacedLease({ namespace: 'platform', body: lease });
  const updated = await coordination.replaceNamespacedLease({
    name: 'guard',
    namespace: 'platform',
    body: { ...created, spec: { holderIdentity: 'b' } },
  });
  expect(updated.spec?.holderIdentity).toBe('b');
  await expect(
    coordination.replaceNamespacedLease({
      name: 'guard',
      namespace: 'platform',
      body: { ...created, spec: { holderIdentity: 'c' } },
    }),
  ).rejects.toMatchObject({ code: 409 });
  await expect(coordination.createNamespacedLease({ namespace: 'platform', body: lease })).rejects.toMatchObject({
    code: 409,
  });
});
