// Real git for tests: a bare "remote" seeded with this repository's gitops/ folder, plus helpers to read what
// the remote holds. Each call makes its own temporary directory under the OS temp dir.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentName } from '../../cdk8s/environments';
import { formatReleaseRecord, parseReleaseRecord, type ReleaseRecord } from '../../cdk8s/release-record';

const exec = promisify(execFile);
const REPO_ROOT = resolve(__dirname, '../..');
const IDENTITY = ['-c', 'user.name=test', '-c', 'user.email=test@example.com'];

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', [...IDENTITY, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

export interface GitopsRemote {
  /** Path of the bare repository (what `--gitops` takes as a URL). */
  readonly url: string;
  readonly root: string;
  head(): Promise<string>;
  /** Commit subjects, newest first. */
  subjects(): Promise<string[]>;
  message(rev?: string): Promise<string>;
  record(env: EnvironmentName): Promise<ReleaseRecord>;
  file(path: string): Promise<string>;
  /** A working clone (with `origin` pointing at the remote), for path-mode runs and for foreign commits. */
  clone(name: string): Promise<string>;
  /** Commits a change to one record straight to the remote, as another writer would. */
  commitRecord(record: ReleaseRecord, subject: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** A bare remote holding this repository's gitops/ folder, with the given records replacing the committed ones. */
export async function createGitopsRemote(records: readonly ReleaseRecord[] = []): Promise<GitopsRemote> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-remote-'));
  const url = join(root, 'remote.git');
  await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', url);
  const seed = join(root, 'seed');
  await git(root, 'clone', '--quiet', url, seed);
  await cp(join(REPO_ROOT, 'gitops'), join(seed, 'gitops'), { recursive: true });
  for (const r of records) await writeFile(join(seed, 'gitops', r.environment, 'release.json'), formatReleaseRecord(r));
  await git(seed, 'add', '--all');
  await git(seed, 'commit', '--quiet', '-m', 'seed: gitops environments');
  await git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  let clones = 0;
  const remote: GitopsRemote = {
    url,
    root,
    head: () => git(url, 'rev-parse', 'refs/heads/main'),
    subjects: async () => (await git(url, 'log', '--format=%s', 'main')).split('\n'),
    message: (rev = 'main') => git(url, 'log', '-1', '--format=%B', rev),
    file: (path) => git(url, 'show', `main:${path}`),
    record: async (env) => parseReleaseRecord(await git(url, 'show', `main:gitops/${env}/release.json`), env),
    async clone(name) {
      const dir = join(root, `${name}-${++clones}`);
      await git(root, 'clone', '--quiet', url, dir);
      return dir;
    },
    async commitRecord(record, subject) {
      const dir = await remote.clone('foreign');
      await writeFile(join(dir, 'gitops', record.environment, 'release.json'), formatReleaseRecord(record));
      await git(dir, 'commit', '--quiet', '-am', subject);
      await git(dir, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
      return git(dir, 'rev-parse', 'HEAD');
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  return remote;
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
