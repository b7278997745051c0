// A private working copy of the gitops repository: a temporary clone (for a URL) or a detached worktree of the
// local repository (for a path). Every change is made here and becomes visible only when pushed, so a failure
// at any step leaves the gitops repository as it was.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { EnvironmentName } from '../../cdk8s/environments';
import { z } from 'zod';
import { containedDir } from './contained-paths';
import { git } from './git';
import { workspacePrefix } from './stale-workspaces';

export const REMOTE = 'origin';

export interface WorkspaceOptions {
  /** A path inside a git working tree (its gitops folder), or a repository URL / bare repository path. */
  readonly gitops: string;
  /** @default the remote's default branch */
  readonly branch?: string;
  /** Folder of the environments inside a cloned URL. @default "gitops" when it exists, else the root */
  readonly folder?: string;
  /** Reading only (status): a local repository without a remote is read at its own HEAD. */
  readonly readOnly?: boolean;
}

function isWorkingTreePath(gitops: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(gitops) || /^[^/]+@[^/]+:/.test(gitops)) return false;
  const p = resolve(gitops);
  if (!existsSync(p) || !statSync(p).isDirectory()) return false;
  // A bare repository is a remote to clone, not a working tree to branch off.
  return !existsSync(join(p, 'HEAD')) || existsSync(join(p, '.git'));
}

async function defaultBranch(cwd: string, remote: string): Promise<string> {
  const out = await git(cwd, ['ls-remote', '--symref', remote, 'HEAD']);
  const m = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(out);
  if (!m) throw new Error(`cannot tell the default branch of ${remote}: pass --branch`);
  return m[1]!;
}

export class Workspace {
  /** The remote commit the working copy stands on: where the run started, or the remote head it last moved to. */
  private synced = '';

  private constructor(
    /** Root of the private working copy. */
    readonly dir: string,
    /** The environments' folder, relative to `dir` ('' for the root). */
    readonly folder: string,
    readonly branch: string,
    /** Where the working copy came from, for messages. */
    readonly source: string,
    private readonly disposeFn: () => Promise<void>,
  ) {}

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const ws = await Workspace.create(options);
    try {
      ws.synced = await ws.head();
    } catch (e) {
      await ws.dispose();
      throw e;
    }
    return ws;
  }

  private static async create(options: WorkspaceOptions): Promise<Workspace> {
    const tmp = await mkdtemp(workspacePrefix());
    const dir = join(tmp, 'work');
    try {
      if (isWorkingTreePath(options.gitops)) {
        const path = realpathSync(resolve(options.gitops));
        const top = (await git(path, ['rev-parse', '--show-toplevel'])).trim();
        const remotes = (await git(top, ['remote'])).split('\n');
        if (!remotes.includes(REMOTE) && options.readOnly) {
          await git(top, ['worktree', 'add', '--quiet', '--detach', dir, 'HEAD']);
          const branch = (await git(top, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
          const dispose = async () => {
            await git(top, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
            await rm(tmp, { recursive: true, force: true });
            await git(top, ['worktree', 'prune']).catch(() => undefined);
          };
          return new Workspace(dir, relative(top, path), branch, `${top} (local HEAD)`, dispose);
        }
        if (!remotes.includes(REMOTE)) throw new Error(`the repository at ${top} has no '${REMOTE}' remote to push the gitops change to`);
        const branch = options.branch ?? (await defaultBranch(top, REMOTE));
        await git(top, ['fetch', '--quiet', REMOTE, `refs/heads/${branch}`]);
        const head = (await git(top, ['rev-parse', 'FETCH_HEAD'])).trim();
        await git(top, ['worktree', 'add', '--quiet', '--detach', dir, head]);
        const dispose = async () => {
          await git(top, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
          await rm(tmp, { recursive: true, force: true });
          await git(top, ['worktree', 'prune']).catch(() => undefined);
        };
        return new Workspace(dir, relative(top, path), branch, `${top} (${REMOTE}/${branch})`, dispose);
      }
      const url = existsSync(options.gitops) ? resolve(options.gitops) : options.gitops;
      await git(tmp, ['clone', '--quiet', '--no-tags', ...(options.branch ? ['--branch', options.branch] : []), '--', url, dir]);
      const branch = options.branch ?? (await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
      await git(dir, ['checkout', '--quiet', '--detach']);
      const folder = options.folder ?? (existsSync(join(dir, 'gitops')) ? 'gitops' : '');
      return new Workspace(dir, folder, branch, `${url} (${branch})`, () => rm(tmp, { recursive: true, force: true }));
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** Absolute path of the environments' folder in the working copy (what cdk8s synthesizes into). */
  get gitopsDir(): string {
    return join(this.dir, this.folder);
  }

  /**
   * Absolute path of an environment's folder, once checked to lead nowhere outside the working copy (no symlink
   * on the way, in it or under it): every read and write of an environment goes through here.
   */
  envDir(env: EnvironmentName): Promise<string> {
    return containedDir(this.dir, this.envPath(env));
  }

  /** The env folder relative to the repository root, for `git log -- <path>` and `git add`. */
  envPath(env: EnvironmentName): string {
    return this.folder ? `${this.folder}/${env}` : env;
  }

  git(args: readonly string[]): Promise<string> {
    return git(this.dir, args);
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  /** The remote commit the working copy stands on; a remote head that does not contain it was rewritten. */
  get base(): string {
    return this.synced;
  }

  /** The local commits now stand on `commit`, a remote head (after a rebase onto it). */
  rebasedOnto(commit: string): void {
    this.synced = commit;
  }

  /** Drops local commits and changes and stands on `commit`, a remote head: to decide again on the new state. */
  async resetTo(commit: string): Promise<void> {
    await this.git(['reset', '--quiet', '--hard', commit]);
    await this.git(['clean', '--quiet', '-d', '--force', '--', this.folder || '.']);
    this.synced = commit;
  }

  dispose(): Promise<void> {
    return this.disposeFn();
  }
}

/** Step inputs take an open workspace; the constructor is private, so the check is an instanceof refinement. */
export const workspaceSchema = z.custom<Workspace>((v) => v instanceof Workspace, 'an open gitops workspace');
