// The gitops writer against real git: a bare remote seeded with this repository's gitops/ folder, the real cdk8s
// synth, concurrent writers, a rejected push and a failing synth. Nothing lost, nothing half-written.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseContext } from '../../release/actions/action';
import { deploy } from '../../release/actions/deploy';
import { promote } from '../../release/actions/promote';
import { rollback } from '../../release/actions/rollback';
import { cdk8sSynth } from '../../release/default-synth';
import { createGitopsRemote, git, type GitopsRemote } from '../support/git-repos';
import { image, record } from './fixtures';

jest.setTimeout(60_000);

let remote: GitopsRemote;
const v1 = image('v1');
const v2 = image('v2');
const v3 = image('v3');
const at = new Date('2025-02-01T10:00:00.000Z');

beforeEach(async () => {
  remote = await createGitopsRemote([record('dev', v2, v1), record('staging', v1, v1), record('prod', v1, v1)]);
});
afterEach(() => remote.cleanup());

const ctx = (over: Partial<ReleaseContext> = {}): ReleaseContext => ({
  gitops: remote.url,
  synth: cdk8sSynth,
  now: () => at,
  actor: 'test',
  push: { baseDelayMs: 1 },
  ...over,
});

test('deploy records the image, re-synthesizes dev and pushes one commit that says what moved and why', async () => {
  const before = await remote.head();
  const result = await deploy(ctx(), { env: 'dev', image: v3, version: 'v3.0.0' });
  expect(result.outcome).toBe('pass');
  expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
    'open-workspace:succeeded',
    'read-record:succeeded',
    'decide:succeeded',
    'write-record:succeeded',
    'synthesize:succeeded',
    'commit-change:succeeded',
    'push-commit:succeeded',
  ]);
  expect(await remote.head()).toBe(result.commit);
  expect(await remote.head()).not.toBe(before);
  const dev = await remote.record('dev');
  expect(dev.current).toMatchObject({
    image: v3,
    version: 'v3.0.0',
    release: 'v3.0.0',
    from: 'build',
    action: 'deploy',
  });
  expect(dev.history.at(-1)).toMatchObject({ action: 'deploy', image: v3, outcome: 'succeeded', actor: 'test' });
  expect(await remote.file('gitops/dev/deployment-hello-app.yaml')).toContain(v3);
  const message = await remote.message();
  expect(message).toMatch(/^release\(dev\): deploy v3\.0\.0 from build/);
  expect(message).toContain(`image: ${v3} (release v3.0.0)`);
  expect(message).toContain(`replaces: ${v2}`);
  expect(message).toContain('from: build');
  expect(message).toContain('why: a new build');
});

test('deploying the image dev already runs writes nothing', async () => {
  const before = await remote.head();
  const result = await deploy(ctx(), { env: 'dev', image: v2 });
  expect(result.outcome).toBe('pass');
  expect(result.steps.find((s) => s.step === 'decide')?.status).toBe('skipped');
  expect(await remote.head()).toBe(before);
});

test('a failing synth stops at the synthesize step and leaves the remote unchanged', async () => {
  const before = await remote.head();
  const result = await deploy(ctx(), {
    env: 'dev',
    image: image('v3', '999999999999.dkr.ecr.eu-west-1.amazonaws.com/other'),
  });
  expect(result.outcome).toBe('fail');
  expect(result.stoppedAt).toMatchObject({ step: 'synthesize', status: 'failed' });
  expect(result.stoppedAt?.reason).toMatch(/runs only images from/);
  expect(result.steps.map((s) => s.step)).not.toContain('commit-change');
  expect(await remote.head()).toBe(before);
});

test('input that breaks a step schema fails that step, naming the field', async () => {
  const result = await deploy(ctx(), { env: 'dev', image: `${image('x').split('@')[0]}:latest` });
  expect(result.stoppedAt).toMatchObject({ step: 'decide', status: 'failed' });
  expect(result.stoppedAt?.reason).toMatch(/'image'.*latest/);
});

test('promote copies the image verified in the source, with its gate figures, into the next environment only', async () => {
  const result = await promote(ctx(), { from: 'dev', to: 'staging' });
  expect(result.outcome).toBe('pass');
  // dev's last verified image is v1, which staging already runs: nothing to do.
  expect(result.summary).toMatch(/already runs/);

  await remote.commitRecord(record('dev', v3, v3), 'verify v3 in dev');
  const promoted = await promote(ctx(), { from: 'dev', to: 'staging' });
  expect(promoted.outcome).toBe('pass');
  expect((await remote.record('staging')).current).toMatchObject({ image: v3, from: 'dev', action: 'promote' });
  const message = await remote.message();
  expect(message).toMatch(/^release\(staging\): promote .* from dev/);
  expect(message).toContain('gates: traffic 2 req/s, errorRatio 0.001, latencyP99 0.05 s');
  expect(await remote.file('gitops/staging/deployment-hello-app.yaml')).toContain(v3);
});

test.each([
  ['dev', 'prod', /only target is staging, not prod/],
  ['staging', 'dev', /only target is prod, not dev/],
] as const)('promote from %s to %s is refused: skipping or reversing a stage', async (from, to, reason) => {
  const before = await remote.head();
  const result = await promote(ctx(), { from, to });
  expect(result.outcome).toBe('fail');
  expect(result.stoppedAt).toMatchObject({ step: 'decide', status: 'failed' });
  expect(result.stoppedAt?.reason).toMatch(reason);
  expect(await remote.head()).toBe(before);
});

test('rollback restores the last verified image, marks the one it replaces bad, and says why', async () => {
  const result = await rollback(ctx(), { env: 'dev', reason: 'errorRatio 0.2 > 0.05', figures: { errorRatio: 0.2 } });
  expect(result.outcome).toBe('pass');
  const dev = await remote.record('dev');
  expect(dev.current).toMatchObject({ image: v1, action: 'rollback', from: 'dev' });
  expect(dev.bad).toEqual([{ image: v2, at: at.toISOString(), reason: 'errorRatio 0.2 > 0.05' }]);
  const message = await remote.message();
  expect(message).toContain('why: errorRatio 0.2 > 0.05');
  expect(message).toContain('gates: errorRatio 0.2');
  expect(await remote.file('gitops/dev/deployment-hello-app.yaml')).toContain(v1);

  // The bad image can then be neither deployed nor restored again.
  const again = await deploy(ctx(), { env: 'dev', image: v2 });
  expect(again.stoppedAt?.reason).toMatch(/marked bad in dev/);
});

test('rollback to an image that never passed verify there is refused', async () => {
  const result = await rollback(ctx(), { env: 'dev', to: v3, reason: 'manual' });
  expect(result.outcome).toBe('fail');
  expect(result.stoppedAt?.reason).toMatch(/never passed verify in dev/);
});

test('a rollback decided against a release that has since changed is left alone (expectCurrent)', async () => {
  const before = await remote.head();
  const result = await rollback(ctx(), { env: 'dev', reason: 'guard', expectCurrent: v3 });
  expect(result.outcome).toBe('pass');
  expect(result.summary).toMatch(/no longer runs/);
  expect(await remote.head()).toBe(before);
});

test('two concurrent writers to different environments both land: the later one rebases onto the earlier', async () => {
  // The deploy is held inside its synth step while another writer pushes, so its first push is non-fast-forward.
  const heldDeploy = await deploy(
    ctx({
      synth: async (env, dir) => {
        await remote.commitRecord(record('prod', v3, v3), 'another writer changes prod');
        return cdk8sSynth(env, dir);
      },
    }),
    { env: 'dev', image: v3 },
  );
  expect(heldDeploy.outcome).toBe('pass');
  expect(heldDeploy.steps.find((s) => s.step === 'push-commit')?.note).toMatch(/after 1 rebase/);
  const subjects = await remote.subjects();
  expect(subjects[0]).toMatch(/^release\(dev\): deploy/);
  expect(subjects[1]).toBe('another writer changes prod');
  expect((await remote.record('prod')).current?.image).toBe(v3);
  expect((await remote.record('dev')).current?.image).toBe(v3);
});

test('two concurrent writers to the same environment: the later one decides again on the new state and lands on top', async () => {
  let writes = 0;
  const result = await deploy(
    ctx({
      synth: async (env, dir) => {
        if (writes++ === 0)
          await remote.commitRecord(record('dev', image('foreign'), v1), 'a concurrent deploy to dev');
        return cdk8sSynth(env, dir);
      },
    }),
    { env: 'dev', image: v3 },
  );
  expect(result.outcome).toBe('pass');
  expect(result.racesLost).toBe(1);
  expect(result.steps.find((s) => s.step === 'push-commit')?.note).toMatch(
    /conflict: gitops\/dev\/release\.json changed concurrently on main by ".*a concurrent deploy to dev".*deciding again/,
  );
  expect((await remote.subjects()).slice(0, 2)).toEqual([
    expect.stringMatching(/^release\(dev\): deploy .* from build/),
    'a concurrent deploy to dev',
  ]);
  expect((await remote.record('dev')).current).toMatchObject({ image: v3 });
  expect((await remote.message()).split('\n')).toContain(`replaces: ${image('foreign')}`);
});

test('a writer that loses the race on every round stops on the conflict after the bounded rounds, pushing nothing', async () => {
  let writes = 0;
  const result = await deploy(
    ctx({
      push: { attempts: 2, baseDelayMs: 1 },
      synth: async (env, dir) => {
        await remote.commitRecord(record('dev', image(`foreign-${++writes}`), v1), `concurrent deploy ${writes}`);
        return cdk8sSynth(env, dir);
      },
    }),
    { env: 'dev', image: v3 },
  );
  expect(result.outcome).toBe('fail');
  expect(result.stoppedAt).toMatchObject({ step: 'push-commit', status: 'failed' });
  expect(result.stoppedAt?.reason).toMatch(
    /conflict: gitops\/dev\/release\.json changed concurrently on main by ".*concurrent deploy 2".*re-run the decision/,
  );
  expect((await remote.subjects())[0]).toBe('concurrent deploy 2');
});

test('a decided change that leaves nothing to commit fails at commit-change: never a success without a commit', async () => {
  const before = await remote.head();
  // A synth that puts the folder back as committed: the decided record ends up nowhere git sees it.
  const result = await deploy(ctx({ synth: (_env, dir) => git(dir, 'checkout', '--', 'dev') }), {
    env: 'dev',
    image: v3,
  });
  expect(result.outcome).toBe('fail');
  expect(result.stoppedAt).toMatchObject({ step: 'commit-change', status: 'failed' });
  expect(result.stoppedAt?.reason).toMatch(/left nothing to commit in gitops\/dev/);
  expect(result.summary).not.toContain('undefined');
  expect(await remote.head()).toBe(before);
});

test('a push the remote keeps rejecting errors after the bounded attempts and leaves the remote unchanged', async () => {
  const hook = join(remote.url, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\necho "pushes are frozen" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  const before = await remote.head();
  const result = await deploy(ctx({ push: { attempts: 3, baseDelayMs: 1 } }), { env: 'dev', image: v3 });
  expect(result.outcome).toBe('error');
  expect(result.stoppedAt).toMatchObject({ step: 'push-commit', status: 'errored' });
  expect(result.stoppedAt?.reason).toMatch(/failed after 3 attempts.*pushes are frozen/);
  expect(await remote.head()).toBe(before);
});

test('a path inside a working clone works through a private worktree and pushes to its origin', async () => {
  const clone = await remote.clone('ci-checkout');
  const result = await deploy(ctx({ gitops: join(clone, 'gitops') }), { env: 'dev', image: v3 });
  expect(result.outcome).toBe('pass');
  expect((await remote.record('dev')).current?.image).toBe(v3);
  // The caller's checkout is untouched and no worktree is left behind.
  expect(await git(clone, 'status', '--porcelain')).toBe('');
  expect((await git(clone, 'worktree', 'list')).split('\n')).toHaveLength(1);
});

test('three writers racing in parallel on different environments all land, none lost', async () => {
  await remote.commitRecord(record('staging', v2, v1), 'staging runs v2');
  await remote.commitRecord(record('prod', v2, v1), 'prod runs v2');
  const results = await Promise.all([
    deploy(ctx({ push: { attempts: 8, baseDelayMs: 20 } }), { env: 'dev', image: v3 }),
    rollback(ctx({ push: { attempts: 8, baseDelayMs: 20 } }), { env: 'staging', reason: 'race staging' }),
    rollback(ctx({ push: { attempts: 8, baseDelayMs: 20 } }), { env: 'prod', reason: 'race prod' }),
  ]);
  expect(results.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass']);
  expect((await remote.subjects()).slice(0, 3).sort()).toEqual([
    expect.stringMatching(/^release\(dev\): deploy/),
    expect.stringMatching(/^release\(prod\): roll back/),
    expect.stringMatching(/^release\(staging\): roll back/),
  ]);
  expect((await remote.record('dev')).current?.image).toBe(v3);
  expect((await remote.record('staging')).current?.image).toBe(v1);
  expect((await remote.record('prod')).current?.image).toBe(v1);
});
