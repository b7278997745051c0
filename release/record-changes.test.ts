import { ruleTable } from '../test/support/rule-table';
import { image, record } from '../test/release/fixtures';
import type { ReleaseRecord } from '../cdk8s/release-record';
import { deploy, promote, rollback, verdict, type Change } from './record-changes';

const at = new Date('2025-03-01T00:00:00.000Z');
const [v1, v2, v3] = [image('v1'), image('v2'), image('v3')];
const withBad = (r: ReleaseRecord, img: string): ReleaseRecord => ({
  ...r,
  bad: [{ image: img, at: at.toISOString(), reason: 'breach' }],
});

ruleTable<{ name: string; change: () => Change; kind: Change['kind']; says?: RegExp }>(
  'release decisions on a record',
  [
    {
      name: 'deploy of a new image changes dev',
      change: () => deploy(record('dev', v1, v1), { image: v2, at }),
      kind: 'changed',
    },
    {
      name: 'deploy of the running image is nothing to do',
      change: () => deploy(record('dev', v1, v1), { image: v1, at }),
      kind: 'unchanged',
    },
    {
      name: 'deploy of an image marked bad is refused',
      change: () => deploy(withBad(record('dev', v1, v1), v2), { image: v2, at }),
      kind: 'refused',
      says: /marked bad/,
    },
    {
      name: 'promote copies the source’s last verified image',
      change: () => promote(record('dev', v2, v2), record('staging', v1, v1), { at }),
      kind: 'changed',
    },
    {
      name: 'promote without a verified image in the source is refused',
      change: () => promote(record('dev', v2), record('staging', v1, v1), { at }),
      kind: 'refused',
      says: /nothing has passed verify in dev/,
    },
    {
      name: 'promote skipping a stage is refused',
      change: () => promote(record('dev', v2, v2), record('prod', v1, v1), { at }),
      kind: 'refused',
      says: /only target is staging/,
    },
    {
      name: 'promote of an image marked bad in the target is refused',
      change: () => promote(record('dev', v2, v2), withBad(record('staging', v1, v1), v2), { at }),
      kind: 'refused',
      says: /marked bad in staging/,
    },
    {
      name: 'rollback restores the last verified image',
      change: () => rollback(record('dev', v2, v1), { reason: 'breach', at }),
      kind: 'changed',
    },
    {
      name: 'rollback with nothing verified is refused',
      change: () => rollback(record('dev', v2), { reason: 'breach', at }),
      kind: 'refused',
      says: /no release to roll back to/,
    },
    {
      name: 'rollback to an unverified image is refused',
      change: () => rollback(record('dev', v2, v1), { to: v3, reason: 'x', at }),
      kind: 'refused',
      says: /never passed verify/,
    },
    {
      name: 'rollback when already on the verified image is nothing to do',
      change: () => rollback(record('dev', v1, v1), { reason: 'x', at }),
      kind: 'unchanged',
    },
    {
      name: 'a passing verdict of the running image changes the record',
      change: () => verdict(record('dev', v2, v1), { image: v2, outcome: 'passed', reason: 'ok', figures: {}, at }),
      kind: 'changed',
    },
    {
      name: 'a verdict about an image no longer running is stale and refused',
      change: () => verdict(record('dev', v3, v1), { image: v2, outcome: 'passed', reason: 'ok', figures: {}, at }),
      kind: 'refused',
      says: /stale/,
    },
  ],
  ({ change, kind, says }) => {
    const c = change();
    expect(c.kind).toBe(kind);
    if (says && c.kind === 'refused') expect(c.reason).toMatch(says);
  },
);

test('a passing verdict makes the image the last verified; a failing one marks it bad', () => {
  const passed = verdict(record('dev', v2, v1), {
    image: v2,
    outcome: 'passed',
    reason: 'ok',
    figures: { errorRatio: 0 },
    at,
  });
  const failed = verdict(record('dev', v2, v1), {
    image: v2,
    outcome: 'failed',
    reason: 'errorRatio 0.2 > 0.05',
    figures: { errorRatio: 0.2 },
    at,
  });
  if (passed.kind !== 'changed' || failed.kind !== 'changed') throw new Error('expected changes');
  expect(passed.record.lastVerified?.image).toBe(v2);
  expect(failed.record.lastVerified?.image).toBe(v1);
  expect(failed.record.bad).toEqual([{ image: v2, at: at.toISOString(), reason: 'errorRatio 0.2 > 0.05' }]);
});
