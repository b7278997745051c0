// Publishes the workspace's commits: push, and when the remote moved under the run, rebase onto its new head and
// try again, a bounded number of times with backoff. Never forces, so a concurrent writer's commits are never lost.
// A rebase that conflicts, or a change another run already published identically, is a lost race: it is undone
// and handed back with the remote's head, to decide again on it. A remote head that no longer contains the commit
// the run stands on was rewritten (a force-push): nothing is replayed onto a history nobody here knows.
import { GitError } from './git';
import { REMOTE, type Workspace } from './workspace';

export type PushResult =
  | { readonly kind: 'pushed'; readonly commit: string; readonly attempts: number; readonly rebases: number }
  /** The same files changed concurrently; `remoteHead` is the state to decide again on. */
  | { readonly kind: 'conflict'; readonly message: string; readonly remoteHead: string }
  | { readonly kind: 'rewritten'; readonly message: string }
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

export const DEFAULT_PUSH_ATTEMPTS = 5;

export async function pushWithRebase(ws: Workspace, options: PushOptions = {}): Promise<PushResult> {
  const attempts = options.attempts ?? DEFAULT_PUSH_ATTEMPTS;
  const base = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let rebases = 0;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const out = await ws.git(['push', '--porcelain', REMOTE, `HEAD:refs/heads/${ws.branch}`]);
      // '=': the remote already had this very commit. Another run made it, byte for byte (the same decision, actor
      // and second): nothing of this run's was published.
      if (/^=\t/m.test(out)) return alreadyUpstream(ws, await ws.head());
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

/** Rebases onto the remote head; a conflict or a rewritten history is returned (nothing changed), success returns nothing. */
async function rebaseOntoRemote(ws: Workspace): Promise<PushResult | undefined> {
  let remoteHead: string;
  try {
    await ws.git(['fetch', '--quiet', REMOTE, `refs/heads/${ws.branch}`]);
    remoteHead = (await ws.git(['rev-parse', 'FETCH_HEAD'])).trim();
  } catch (e) {
    return { kind: 'error', message: `fetching ${ws.source} to rebase failed: ${(e as Error).message}` };
  }
  const contained = await ws.git(['merge-base', '--is-ancestor', ws.base, remoteHead]).then(
    () => true,
    () => false,
  );
  if (!contained) {
    return {
      kind: 'rewritten',
      message: `the remote's history was rewritten: ${ws.branch} is now at ${remoteHead.slice(0, 12)}, which does not contain ${ws.base.slice(0, 12)}, the commit this run started from (a force-push?); nothing was pushed — check the repository's history before running again`,
    };
  }
  try {
    await ws.git(['rebase', '--quiet', remoteHead]);
  } catch (e) {
    const files = (await ws.git(['diff', '--name-only', '--diff-filter=U']).catch(() => '')).trim().split('\n').filter(Boolean);
    const theirs = (await ws.git(['log', '-1', '--format=%h %s', remoteHead]).catch(() => '')).trim();
    await ws.git(['rebase', '--abort']).catch(() => undefined);
    const what = files.length ? files.join(', ') : (e as Error).message;
    return { kind: 'conflict', remoteHead, message: `conflict: ${what} changed concurrently on ${ws.branch} by "${theirs}"; nothing was pushed` };
  }
  if ((await ws.head()) === remoteHead) {
    // Every commit of this run was dropped as already upstream: another run made the identical change (the same
    // decision at the same instant). Pushing would publish nothing, and reporting the remote's head would claim
    // the other run's commit: it is a lost race, decided again on the remote's state.
    return alreadyUpstream(ws, remoteHead);
  }
  ws.rebasedOnto(remoteHead);
  return undefined;
}

/** The run's change is on the remote already, made by another run: a lost race with nothing of this run's pushed. */
async function alreadyUpstream(ws: Workspace, remoteHead: string): Promise<PushResult> {
  const theirs = (await ws.git(['log', '-1', '--format=%h %s', remoteHead]).catch(() => '')).trim();
  return {
    kind: 'conflict',
    remoteHead,
    message: `the same change is already on ${ws.branch} ("${theirs}"), made by another run; nothing was pushed`,
  };
}
