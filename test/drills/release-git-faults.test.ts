// Drill: the gitops remote misbehaves during a promotion (dev → staging) — it moves under the writer, rejects pushes
// for a while or for good — and two promotions race for one environment. Each run ends retried and landed, or
// aborted with a clear message; the remote never holds a half-written release record.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import type { ActionResult, ReleaseContext } from '../../release/actions/action';
import { promote } from '../../release/actions/promote';
import { cdk8sSynth } from '../../release/default-synth';
import { exitCode } from '../../release/gates/outcomes';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, git, type GitopsRemote } from '../support/git-repos';
import { recordFigures } from './figures';

jest.setTimeout(120_000);

const verified = image('verified');
const old = image('old');

let remote: GitopsRemote;
beforeEach(async () => {
  remote = await createGitopsRemote([
    record('dev', verified, verified),
    record('staging', old, old),
    record('prod', old, old),
  ]);
});
afterEach(() => remote.cleanup());

const ctx = (over: Partial<ReleaseContext> = {}): ReleaseContext => ({
  gitops: remote.url,
  synth: cdk8sSynth,
  actor: 'drill',
  push: { attempts: 4, baseDelayMs: 10 },
  ...over,
});

/** Every record at the remote's head parses, and every commit since `base` changed one environment's folder only. */
async function remoteIsWhole(base: string): Promise<void> {
  for (const env of ENVIRONMENT_NAMES) await remote.record(env); // throws on a half-written record
  const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
  for (const commit of commits) {
    const files = (await git(remote.url, 'show', '--name-only', '--format=', commit)).split('\n').filter(Boolean);
    expect(new Set(files.map((f) => f.split('/').slice(0, 2).join('/'))).size).toBe(1);
  }
}

/** A pre-receive hook that refuses the first `times` pushes (or every push), as a locked or flaky remote would. */
async function rejectPushes(times: number | 'always'): Promise<void> {
  const hook = join(remote.url, 'hooks', 'pre-receive');
  const counter = join(remote.url, 'rejected-pushes');
  const script =
    times === 'always'
      ? '#!/bin/sh\necho "remote: pushes are frozen" >&2\nexit 1\n'
      : `#!/bin/sh\nn=$(cat ${counter} 2>/dev/null || echo 0)\nif [ "$n" -lt ${times} ]; then echo $((n+1)) > ${counter}; echo "remote: try again" >&2; exit 1; fi\n`;
  await writeFile(hook, script);
  await chmod(hook, 0o755);
}

function figures(scenario: string, result: ActionResult, whole: boolean, extra: Record<string, string> = {}): void {
  recordFigures('release: git faults', scenario, {
    outcome: result.outcome,
    'exit code': exitCode(result.outcome),
    push: (result.steps.find((s) => s.step === 'push-commit')?.note ?? result.stoppedAt?.reason ?? '-').slice(0, 120),
    'records whole': String(whole),
    ...extra,
  });
}

test('the remote moves (another environment changes) mid-promotion: rebased, retried, both changes kept', async () => {
  const base = await remote.head();
  const result = await promote(
    ctx({
      synth: async (env, dir) => {
        await remote.commitRecord(record('prod', verified, old), 'another writer changes prod');
        return cdk8sSynth(env, dir);
      },
    }),
    { from: 'dev', to: 'staging' },
  );
  await remoteIsWhole(base);
  figures('remote moved (other environment)', result, true);
  expect(result.outcome).toBe('pass');
  expect((await remote.record('staging')).current?.image).toBe(verified);
  expect((await remote.record('prod')).current?.image).toBe(verified);
  expect((await remote.subjects()).slice(0, 2)).toEqual([
    expect.stringMatching(/^release\(staging\)/),
    'another writer changes prod',
  ]);
});

test('the remote moves (the same environment changes) mid-promotion: the promotion is decided again on the new state', async () => {
  const base = await remote.head();
  const foreign = record('staging', image('foreign'), old);
  let moved = false;
  const result = await promote(
    ctx({
      synth: async (env, dir) => {
        if (!moved) await remote.commitRecord(foreign, 'a concurrent change to staging');
        moved = true;
        return cdk8sSynth(env, dir);
      },
    }),
    { from: 'dev', to: 'staging' },
  );
  await remoteIsWhole(base);
  figures('remote moved (same environment)', result, true, { 'races lost': String(result.racesLost ?? 0) });
  expect(result.outcome).toBe('pass');
  expect(result.racesLost).toBe(1);
  expect(result.steps.find((s) => s.step === 'push-commit')?.note).toMatch(
    /conflict: gitops\/staging\/release\.json changed concurrently .*deciding again/,
  );
  expect((await remote.subjects()).slice(0, 2)).toEqual([
    expect.stringMatching(/^release\(staging\): promote .* from dev/),
    'a concurrent change to staging',
  ]);
  const staging = await remote.record('staging');
  expect(staging.current?.image).toBe(verified);
  expect(staging.history.at(-1)).toMatchObject({ action: 'promote', image: verified });
});

test('the remote rejects two pushes, then accepts: retried and landed once', async () => {
  const base = await remote.head();
  await rejectPushes(2);
  const result = await promote(ctx(), { from: 'dev', to: 'staging' });
  await remoteIsWhole(base);
  const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
  figures('remote rejects twice, then accepts', result, true, { 'commits landed': String(commits.length) });
  expect(result.outcome).toBe('pass');
  expect(commits).toHaveLength(1);
  expect((await remote.record('staging')).current?.image).toBe(verified);
});

test('the remote rejects every push: errors (exit 2) after the bounded attempts, remote unchanged', async () => {
  const base = await remote.head();
  await rejectPushes('always');
  const result = await promote(ctx(), { from: 'dev', to: 'staging' });
  figures('remote rejects every push', result, true);
  expect(exitCode(result.outcome)).toBe(2);
  expect(result.stoppedAt).toMatchObject({ step: 'push-commit', status: 'errored' });
  expect(result.stoppedAt?.reason).toMatch(/pushes are frozen/);
  expect(await remote.head()).toBe(base);
});

test('two promotions race for staging: one writes, the other decides again and finds nothing left to do', async () => {
  const base = await remote.head();
  // The second promotion's synth runs while the first one pushes, so both decided from the same staging record.
  let release: () => void = () => undefined;
  const firstPushed = new Promise<void>((resolve) => (release = resolve));
  const [first, second] = await Promise.all([
    promote(ctx(), { from: 'dev', to: 'staging' }).finally(() => release()),
    promote(
      ctx({
        synth: async (env, dir) => {
          await firstPushed;
          return cdk8sSynth(env, dir);
        },
      }),
      { from: 'dev', to: 'staging' },
    ),
  ]);
  await remoteIsWhole(base);
  const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
  figures('two promotions race for staging', second, true, {
    winner: `${first.outcome} (exit ${exitCode(first.outcome)})`,
    'commits landed': String(commits.length),
  });
  expect(first.outcome).toBe('pass');
  expect(second.outcome).toBe('pass');
  expect(second.summary).toMatch(/another run got there first: staging already runs/);
  expect(commits).toHaveLength(1);
  expect((await remote.record('staging')).history.filter((h) => h.action === 'promote')).toHaveLength(1);
});

// Two runs with the same actor deciding at the same instant make the identical record. Committed in the same
// second, their commits are one object (the second's push finds it there); a second apart, the second's rebase
// drops its commit as already upstream. Either way the remote holds one promotion, and the second run must say that
// another run made it, not report the first run's commit as its own.
test.each([
  ['in the same second: one commit object', 0],
  ['a second apart: a rebase that drops the change', 1_100],
])(
  'two promotions making the identical change, committed %s: the second says another run got there first',
  async (_, lateMs) => {
    const base = await remote.head();
    const at = new Date('2026-11-29T12:00:00.000Z');
    let release: () => void = () => undefined;
    const firstPushed = new Promise<void>((resolve) => (release = resolve));
    const [first, second] = await Promise.all([
      promote(ctx({ now: () => at }), { from: 'dev', to: 'staging' }).finally(() => release()),
      promote(
        ctx({
          now: () => at,
          synth: async (env, dir) => {
            await firstPushed;
            await new Promise((r) => setTimeout(r, lateMs));
            return cdk8sSynth(env, dir);
          },
        }),
        { from: 'dev', to: 'staging' },
      ),
    ]);
    await remoteIsWhole(base);
    const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
    expect(first.outcome).toBe('pass');
    expect(first.commit).toBe(commits[0]);
    expect(second.outcome).toBe('pass');
    expect(second.commit).toBeUndefined();
    expect(second.summary).toMatch(/another run got there first: staging already runs/);
    expect(commits).toHaveLength(1);
  },
);
