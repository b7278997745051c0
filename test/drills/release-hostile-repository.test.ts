// Drill: the release CLI against a gitops repository in a hostile state — symlinks that lead out of the workspace,
// a history force-replaced while the tool pushes, a run killed mid-push — and a 10 KB repository name. Each is
// refused (or cleaned up) with a clear message and nothing outside the workspace or on the remote changes.
import { chmod, cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, git, type GitopsRemote } from '../support/git-repos';
import { KubeApiDouble } from '../support/kube-api-double';
import { releaseCli, type ReleaseCli } from '../support/release-cli';
import { waitFor } from '../support/wait-for';
import { runGuardProcess } from '../guard/guard-process';
import { mib, recordFigures } from './figures';

jest.setTimeout(240_000);

const verified = image('verified');
const fresh = image('fresh');

let remote: GitopsRemote;
let cli: ReleaseCli;
beforeEach(async () => {
  remote = await createGitopsRemote([record('dev', verified, verified)]);
  cli = await releaseCli();
});
afterEach(async () => {
  await remote.cleanup();
  await cli.cleanup();
});

const deploy = (img: string, env: Record<string, string> = {}) =>
  cli.run(['deploy', '--env', 'dev', '--image', img, '--gitops', remote.url, '--actor', 'drill'], env);

/** Every file under a folder with its bytes, to show that nothing in it changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files[join(e.parentPath, e.name)] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return files;
}

/** Bytes of the files under a folder. */
async function size(dir: string): Promise<number> {
  let bytes = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) bytes += (await stat(join(e.parentPath, e.name))).size;
  return bytes;
}

/** Commits `link` (a path in the repository) as a symlink to `target`, replacing what was there. */
async function commitSymlink(link: string, target: string): Promise<void> {
  const dir = await remote.clone('symlink');
  await rm(join(dir, link), { recursive: true, force: true });
  await symlink(target, join(dir, link));
  await git(dir, 'add', '--all');
  await git(dir, 'commit', '--quiet', '-m', `make ${link} a symlink`);
  await git(dir, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
}

async function hook(name: string, script: string): Promise<void> {
  const path = join(remote.url, 'hooks', name);
  await writeFile(path, `#!/bin/sh\n${script}`);
  await chmod(path, 0o755);
}

describe('a symlink in the gitops repository', () => {
  test.each([
    ['gitops/dev, a folder outside the clone', 'gitops/dev', (o: string) => o, fresh],
    ['gitops, the environments folder', 'gitops', (o: string) => join(o, '..'), fresh],
    ['gitops/dev/release.json', 'gitops/dev/release.json', (o: string) => join(o, 'release.json'), fresh],
    [
      'a manifest synth rewrites',
      'gitops/dev/deployment-hello-app.yaml',
      (o: string) => join(o, 'deployment-hello-app.yaml'),
      fresh,
    ],
    [
      'gitops/dev, with an image synth refuses',
      'gitops/dev',
      (o: string) => o,
      image('other', 'registry.example.com/other'),
    ],
  ])('%s: refused before any write, nothing outside changes, nothing pushed', async (name, link, target, img) => {
    const outside = join(remote.root, 'outside', 'gitops', 'dev');
    await mkdir(join(outside, '..'), { recursive: true });
    const seed = await remote.clone('seed');
    await cp(join(seed, 'gitops'), join(outside, '..'), { recursive: true });
    await commitSymlink(link, target(outside));
    const before = await snapshot(join(outside, '..'));
    const head = await remote.head();

    const run = await deploy(img);

    const after = await snapshot(join(outside, '..'));
    recordFigures('release: hostile repository', `symlink: ${name}`, {
      exit: String(run.code),
      'files changed outside': Object.keys(after).filter((f) => after[f] !== before[f]).length,
      'commits pushed': (await git(remote.url, 'rev-list', '--count', `${head}..main`)) || '0',
    });
    expect(run.stdout).toMatch(/symlink/);
    expect(run.stdout).toContain(link);
    expect(run.stdout).not.toContain('undefined');
    expect(run.code).toBe(1);
    expect(after).toEqual(before);
    expect(await remote.head()).toBe(head);
  });
});

test('main force-pushed to an unrelated history while the tool pushes: exit 2, nothing replayed onto it', async () => {
  // On the tool's first push, the remote's main is replaced by an orphan commit (as a force-push would).
  await hook(
    'pre-receive',
    `[ -f "$GIT_DIR/rewritten" ] && exit 0
touch "$GIT_DIR/rewritten"
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
blob=$(echo rewritten | git hash-object -w --stdin)
tree=$(printf '100644 blob %s\\tREADME\\n' "$blob" | git mktree)
orphan=$(GIT_AUTHOR_NAME=m GIT_AUTHOR_EMAIL=m@x GIT_COMMITTER_NAME=m GIT_COMMITTER_EMAIL=m@x git commit-tree -m orphan "$tree")
git update-ref refs/heads/main "$orphan"
`,
  );
  const run = await deploy(fresh);
  recordFigures('release: hostile repository', 'main force-pushed to an orphan mid-push', {
    exit: String(run.code),
    'commits on main after': await git(remote.url, 'rev-list', '--count', 'main'),
  });
  expect(run.stdout).toMatch(/the remote's history was rewritten/);
  expect(run.code).toBe(2);
  expect(await remote.subjects()).toEqual(['orphan']);
});

test("a run killed mid-push leaves its workspace; the next run removes it and keeps the live run's", async () => {
  // Every push waits in the remote's hook until the test lets it through.
  const go = join(remote.root, 'go');
  await hook('pre-receive', `touch "${remote.root}/pushing-$$"\nwhile [ ! -f "${go}" ]; do sleep 0.1; done\n`);
  const pushing = async (n: number) =>
    waitFor(
      `${n} push(es) waiting in the hook`,
      async () => (await readdir(remote.root)).filter((f) => f.startsWith('pushing-')).length >= n,
      { timeoutMs: 120_000, everyMs: 100 },
    );

  const killed = cli.start(['deploy', '--env', 'dev', '--image', fresh, '--gitops', remote.url]);
  await pushing(1);
  const [stale] = await cli.workspaces();
  process.kill(-killed.child.pid!, 'SIGKILL');
  expect((await killed.done).code).toBeNull();
  const staleSize = await size(join(cli.tmp, stale!));
  expect(await cli.workspaces()).toEqual([stale]);

  const live = cli.start(['deploy', '--env', 'dev', '--image', fresh, '--gitops', remote.url]);
  await pushing(2);
  const liveWorkspace = (await cli.workspaces()).find((w) => w !== stale);

  const status = await cli.run(['status', '--gitops', remote.url]);
  const left = await cli.workspaces();
  await writeFile(go, '');
  const finished = await live.done;
  recordFigures('release: hostile repository', 'run killed mid-push', {
    'stale workspace': `${mib(staleSize)} MiB`,
    'stale workspaces after the next run': left.filter((w) => w === stale).length,
    'live run': `exit ${finished.code}`,
  });
  expect(status.code).toBe(0);
  expect(left).toEqual([liveWorkspace]);
  expect(finished.code).toBe(0);
  expect(await cli.workspaces()).toEqual([]);
});

test('the guard removes the workspace of a killed run when it starts', async () => {
  const api = new KubeApiDouble();
  await api.start();
  try {
    await hook('pre-receive', 'sleep 60\n');
    const killed = cli.start(['deploy', '--env', 'dev', '--image', fresh, '--gitops', remote.url]);
    await waitFor('a workspace', async () => (await cli.workspaces()).length === 1, {
      timeoutMs: 120_000,
      everyMs: 100,
    });
    const [stale] = await cli.workspaces();
    process.kill(-killed.child.pid!, 'SIGKILL');
    await killed.done;
    const guard = runGuardProcess(
      'hostile-drill',
      ['--gitops', remote.url, '--prometheus-url', 'http://127.0.0.1:9', '--port', '0', '--env', 'dev'],
      { KUBECONFIG: await api.writeKubeconfig(cli.tmp), TMPDIR: cli.tmp },
    );
    try {
      await guard.waitForLine((l) => l.msg === 'release guard started', 120_000);
      // The guard's own reconcile may have opened a workspace by now: only the killed run's must be gone.
      const left = await cli.workspaces();
      recordFigures('release: hostile repository', 'guard starts after a killed run', {
        'stale workspaces after its start': left.filter((w) => w === stale).length,
      });
      expect(left).not.toContain(stale);
    } finally {
      guard.child.kill('SIGTERM');
      await guard.exited;
    }
  } finally {
    await api.stop();
  }
});

test('a 10 KB repository name is refused where the arguments are parsed, naming --image', async () => {
  const head = await remote.head();
  const run = await deploy(image('long', `registry.example.com/${'a'.repeat(10_000)}`));
  expect(run.stderr).toMatch(/--image: .*longer than 255/);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2); // a wrong command line: never the 1 the workflow reads as "refused, roll back"
  expect(await remote.head()).toBe(head);
});

test('a --gitops value git would read as an option, or a branch git refuses, is a usage error before any clone', async () => {
  const head = await remote.head();
  const img = image('v9');
  for (const [args, flag] of [
    [['--gitops=--upload-pack=touch owned'], '--gitops'],
    [['--gitops', remote.url, '--branch', 'main:refs/heads/other'], '--branch'],
  ] as const) {
    const run = await cli.run(['deploy', '--env', 'dev', '--image', img, '--actor', 'drill', ...args]);
    expect(run.stderr).toContain(`${flag}: `);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  }
  expect(await remote.head()).toBe(head);
});
