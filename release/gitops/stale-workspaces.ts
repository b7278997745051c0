// Workspaces left behind by killed runs. A run removes its working copy when it ends, but a run killed with SIGKILL
// (a cancelled CI job, an OOM-killed pod) cannot, and its full clone stays in the temp dir for good. A workspace's
// folder carries the id of the process that made it, so a later run can tell the dead's from the living's.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'hello-gitops-';
const NAME = /^hello-gitops-(\d+)-[A-Za-z0-9]{6}$/;

/** The prefix of this process's workspace folders (mkdtemp adds six characters). */
export function workspacePrefix(): string {
  return join(tmpdir(), `${PREFIX}${process.pid}-`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the workspaces of processes that no longer run, and returns their names. Call it when a process starts,
 * before it opens a workspace: one named with this process's own id then comes from an earlier process that had
 * the same id (a restarted container's PID 1), so it is stale too.
 */
export async function removeStaleWorkspaces(dir: string = tmpdir()): Promise<string[]> {
  const stale = (await readdir(dir).catch(() => [] as string[])).filter((name) => {
    const pid = Number(NAME.exec(name)?.[1] ?? NaN);
    return Number.isInteger(pid) && pid > 0 && (pid === process.pid || !alive(pid));
  });
  await Promise.all(stale.map((name) => rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined)));
  return stale;
}
