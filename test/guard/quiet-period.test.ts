// A quiet night never rolls back: the guard's reconcile over real git, with the gates answered from a script. A
// release whose traffic stays below the environment's minimum is held evaluation after evaluation (one Event, a
// hold counted with its cause), the streak never grows and nothing is committed; the same release with enough
// traffic and a failing error ratio is rolled back, so the hold is the rule and not a broken write path.
import { ENVIRONMENTS } from '../../cdk8s/environments';
import { releaseId, type ReleaseRecord } from '../../cdk8s/release-record';
import type { ClusterState } from '../../release/cluster/cluster-state';
import { cdk8sSynth } from '../../release/default-synth';
import type { GuardEvent } from '../../release/guard/guard-events';
import { GuardMetrics } from '../../release/guard/guard-metrics';
import { policySlo } from '../../release/guard/guard-settings';
import { EnvironmentReconciler, type ReconcileResult } from '../../release/guard/reconcile';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { testPolicy } from './guard-harness';
import { scriptedProvider, type GateScript } from './scripted-metrics';

jest.setTimeout(60_000);

const env = 'dev' as const;
const v1 = image('v1');
const v2 = image('v2');
const policy = testPolicy(env);
const slo = policySlo(ENVIRONMENTS[env].slo, policy.spec);
const scope = { namespace: ENVIRONMENTS[env].namespace, release: releaseId(v2) };

/** dev runs v2 (verified an hour after v1); Argo CD applied it long before the analysis window. */
const running: ReleaseRecord = (() => {
  const r = record(env, v2, v1);
  const since = '2025-01-01T01:00:00.000Z';
  return {
    ...r,
    current: { ...r.current!, since },
    lastVerified: { image: v2, release: releaseId(v2), verifiedAt: since },
    history: [
      ...r.history,
      {
        at: since,
        action: 'verify',
        image: v2,
        release: releaseId(v2),
        from: env,
        outcome: 'passed',
        reason: 'all gates passed',
      },
    ],
  };
})();
const live: ClusterState = {
  application: {
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    operation: { phase: 'Succeeded', finishedAt: '2025-01-01T01:00:00Z' },
  },
  deployment: {
    generation: 2,
    observedGeneration: 2,
    desired: 2,
    total: 2,
    updated: 2,
    ready: 2,
    available: 2,
    images: [v2],
  },
  pods: [],
};

function guardOver(remote: GitopsRemote, script: GateScript) {
  const events: GuardEvent[] = [];
  const metrics = new GuardMetrics({ defaults: false });
  const quiet = () => undefined;
  const reconciler = new EnvironmentReconciler(env, {
    release: {
      gitops: remote.url,
      synth: cdk8sSynth,
      actor: 'hello-app.dev/release-guard test',
      push: { baseDelayMs: 10 },
    },
    reader: { read: async () => ({ kind: 'state', state: live }) },
    provider: scriptedProvider(slo, scope, script),
    events: { emit: async (e) => void events.push(e) },
    metrics,
    log: { info: quiet, warn: quiet, error: quiet },
    isLeader: () => true,
    ingestDelayMs: 0,
  });
  return { reconciler, events, metrics };
}

let remote: GitopsRemote;
beforeEach(async () => {
  remote = await createGitopsRemote([running]);
});
afterEach(async () => {
  await remote?.cleanup();
});

test('a quiet night (traffic below the minimum) is held at every evaluation and never rolled back', async () => {
  const before = await remote.head();
  const { reconciler, events, metrics } = guardOver(remote, { traffic: 'f', errorRatio: 'p', latencyP99: 'p' });
  const results: ReconcileResult[] = [];
  for (let i = 0; i < 4; i++) results.push(await reconciler.reconcile(policy));

  expect(results.map((r) => [r.verdict, r.hold, r.failures])).toEqual(
    Array.from({ length: 4 }, () => ['held', 'low-traffic', 0]),
  );
  expect(results[0]!.reason).toMatch(
    /^too little traffic to judge \(below the 0\.1 req\/s minimum\): traffic: 3 failed measurements, more than the 2 allowed/,
  );
  expect(results.every((r) => r.rollback === undefined)).toBe(true);
  expect(await remote.head()).toBe(before);
  expect((await remote.record(env)).bad).toEqual([]);
  // Reported once, as an expected hold with its reason; counted as a hold by cause, never as a breach.
  expect(events).toEqual([
    {
      env,
      policy: policy.ref,
      reason: 'ReleaseHeld',
      type: 'Normal',
      action: 'Evaluate',
      note: `${releaseId(v2)}: held (low-traffic): ${results[0]!.reason}`,
    },
  ]);
  const text = await metrics.registry.metrics();
  expect(text).toMatch(/release_guard_holds_total\{env="dev",cause="low-traffic"\} 4/);
  expect(text).toMatch(/release_guard_verdicts_total\{env="dev",verdict="held"\} 4/);
  expect(text).not.toMatch(/verdict="breach"/);
  expect(text).not.toMatch(/release_guard_rollbacks_total\{/);
});

test('the same release with enough traffic and a failing error ratio is rolled back on the second breach', async () => {
  const { reconciler, events } = guardOver(remote, { traffic: 'p', errorRatio: 'f', latencyP99: 'p' });
  const first = await reconciler.reconcile(policy);
  expect([first.verdict, first.failures, first.rollback]).toEqual(['breach', 1, undefined]);
  const second = await reconciler.reconcile(policy);
  expect(second).toMatchObject({ verdict: 'breach', failures: 2, rollback: { outcome: 'pass' } });
  expect(second.reason).toMatch(/failed evaluation 2 of 2: errorRatio: 2 failed measurements in a row/);
  expect(await remote.message()).toMatch(
    /why: release guard: 2 consecutive failed evaluations of \w+; last: errorRatio: 2 failed measurements in a row/,
  );
  expect((await remote.record(env)).current?.image).toBe(v1);
  expect(events.map((e) => e.reason)).toEqual(['ReleaseBreach', 'RollbackCommitted', 'ReleaseBreach']);
});
