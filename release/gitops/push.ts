// Publishes the workspace's commits: push, and on a non-fast-forward rebase onto the new remote head and try
// again, a bounded number of times with backoff. Never forces, so a concurrent writer's commits are never lost;
// a rebase that conflicts is a real conflict and stops with the files and the commit it collided with.
import { GitError } from './git';
import { REMOTE, type Workspace } from './workspace';

export type PushResult =
  | { readonly kind: 'pushed'; readonly commit: string; readonly attempts: number; readonly rebases: number }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

export interface PushOptions {
  /** @default 5 */
  readonly attempts?: number;
  /** First backoff; doubled each time, with jitter. @default 200 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Push refusals that mean "the remote moved": the remote's own words for a lost race. */
const RACE_LOST = /\(fetch first\)|\(non-fast-forward\)|failed to update ref|cannot lock ref|stale info/;

export async function pushWithRebase(ws: Workspace, options: PushOptions = {}): Promise<PushResult> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let rebases = 0;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await ws.git(['push', '--porcelain', REMOTE, `HEAD:refs/heads/${ws.branch}`]);
      return { kind: 'pushed', commit: await ws.head(), attempts: attempt, rebases };
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      last = e.message;
      if (attempt === attempts) break;
      await sleep(base * 2 ** (attempt - 1) * (0.5 + Math.random()));
      if (!RACE_LOST.test(e.stderr)) continue;
      const rebased = await rebaseOntoRemote(ws);
      if (rebased) return rebased;
      rebases += 1;
    }
  }
  return { kind: 'error', message: `push to ${ws.source} failed after ${attempts} attempts: ${last}` };
}

/** Rebases onto the remote head; a conflict is returned (and the rebase undone), success returns nothing. */
async function rebaseOntoRemote(ws: Workspace): Promise<PushResult | undefined> {
  try {
    await ws.git(['fetch', '--quiet', REMOTE, `refs/heads/${ws.branch}`]);
  } catch (e) {
    return { kind: 'error', message: `fetching ${ws.source} to rebase failed: ${(e as Error).message}` };
  }
  try {
    await ws.git(['rebase', '--quiet', 'FETCH_HEAD']);
    return undefined;
  } catch (e) {
    const files = (await ws.git(['diff', '--name-only', '--diff-filter=U']).catch(() => '')).trim().split('\n').filter(Boolean);
    const theirs = (await ws.git(['log', '-1', '--format=%h %s', 'FETCH_HEAD']).catch(() => '')).trim();
    await ws.git(['rebase', '--abort']).catch(() => undefined);
    const what = files.length ? files.join(', ') : (e as Error).message;
    return { kind: 'conflict', message: `conflict: ${what} changed concurrently on ${ws.branch} by "${theirs}"; nothing was pushed, re-run the decision on the new state` };
  }
}
