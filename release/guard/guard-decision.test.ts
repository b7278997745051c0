import type { ReleaseRecord } from '../../cdk8s/release-record';
import { image, record } from '../../test/release/fixtures';
import { ruleTable } from '../../test/support/rule-table';
import type { ClusterState } from '../cluster/cluster-state';
import type { Outcome } from '../gates/outcomes';
import { liveRelease, nextStreak, rollbackTarget, type GuardVerdict, type Streak } from './guard-decision';

const v1 = image('v1');
const v2 = image('v2');

ruleTable<{ name: string; previous?: Streak; image: string; outcome: Outcome; verdict: GuardVerdict; failures: number; rollback: boolean }>(
  'what one evaluation does to the streak (limit 2)',
  [
    { name: 'a first failure is a breach, not yet a rollback', image: v2, outcome: 'fail', verdict: 'breach', failures: 1, rollback: false },
    { name: 'the second failure in a row rolls back', previous: { image: v2, failures: 1 }, image: v2, outcome: 'fail', verdict: 'breach', failures: 2, rollback: true },
    { name: 'a pass ends the streak', previous: { image: v2, failures: 1 }, image: v2, outcome: 'pass', verdict: 'healthy', failures: 0, rollback: false },
    { name: 'Prometheus errors hold: the streak neither grows nor ends', previous: { image: v2, failures: 1 }, image: v2, outcome: 'error', verdict: 'held', failures: 1, rollback: false },
    { name: 'no data holds and never rolls back', previous: { image: v2, failures: 1 }, image: v2, outcome: 'inconclusive', verdict: 'held', failures: 1, rollback: false },
    { name: 'a release changed since the last evaluation starts from zero', previous: { image: v1, failures: 1 }, image: v2, outcome: 'fail', verdict: 'breach', failures: 1, rollback: false },
  ],
  (row) => {
    const step = nextStreak(row.previous, row.image, row.outcome, 2);
    expect({ verdict: step.verdict, failures: step.streak.failures, rollback: step.rollback }).toEqual({ verdict: row.verdict, failures: row.failures, rollback: row.rollback });
  },
);

const app = { syncStatus: 'Synced', healthStatus: 'Healthy', operationPhase: 'Succeeded', operationFinishedAt: '2025-01-01T00:05:00Z' };
const rollout = { generation: 3, observedGeneration: 3, desired: 2, total: 2, updated: 2, ready: 2, available: 2, images: [v2] };
const state = (over: Partial<ClusterState> = {}): ClusterState => ({ application: app, deployment: rollout, pods: [], ...over });

ruleTable<{ name: string; record: ReleaseRecord; state: ClusterState; live: string }>(
  'whether the recorded release is live in the cluster',
  [
    { name: 'the recorded image fully rolled out is live since Argo CD applied it', record: record('dev', v2, v1), state: state(), live: 'live 2025-01-01T00:05:00.000Z' },
    { name: 'a Deployment still on the old image is not applied yet', record: record('dev', v2, v1), state: state({ deployment: { ...rollout, images: [v1] } }), live: 'wait: .*not applied yet' },
    { name: 'a rollout in progress waits', record: record('dev', v2, v1), state: state({ deployment: { ...rollout, updated: 1 } }), live: 'wait: rollout .* in progress' },
    { name: 'an Argo CD operation running (a rollback being applied) waits', record: record('dev', v2, v1), state: state({ application: { ...app, operationPhase: 'Running' } }), live: 'wait: Argo CD is applying' },
    { name: 'no Application waits', record: record('dev', v2, v1), state: state({ application: undefined }), live: 'wait: the Argo CD Application' },
    { name: 'nothing deployed waits', record: record('dev'), state: state(), live: 'wait: nothing is deployed' },
  ],
  (row) => {
    const l = liveRelease(row.record, row.state);
    expect(l.kind === 'live' ? `live ${l.since.toISOString()}` : `wait: ${l.reason}`).toMatch(new RegExp(`^${row.live}`));
  },
);

test('a rollback restores the newest verified image that is neither running nor bad', () => {
  const r = record('prod', v2, v2);
  const withOlder: ReleaseRecord = { ...r, history: [{ at: '2024-12-01T00:00:00.000Z', action: 'verify', image: v1, release: 'v1', outcome: 'passed' }, ...r.history] };
  expect(rollbackTarget(withOlder)).toBe(v1);
  expect(rollbackTarget({ ...withOlder, bad: [{ image: v1, at: '2025-01-01T00:00:00.000Z', reason: 'bad' }] })).toBeUndefined();
  expect(rollbackTarget(record('dev', v2))).toBeUndefined();
});
