// Workspaces left behind by killed runs. A run removes its working copy when it ends, but a run killed with SIGKILL
// (a cancelled CI job, an OOM-killed pod) cannot, and its full clone stays in the temp dir for good. A workspace's
// folder carries the host and the id of the process that made it, so a later run on the same host can tell the
// dead's from the living's; another host's (a temp dir shared between containers) is never touched.
import { readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../../contract/process-alive';

/** Where this host's workspace names start: `hello-gitops-<host>-`, then `<pid>-` and mkdtemp's six characters. */
const THIS_HOST = `hello-gitops-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-`;

/** The prefix of this process's workspace folders. */
export function workspacePrefix(): string {
  return join(tmpdir(), `${THIS_HOST}${process.pid}-`);
}

/** The process id in the name of a workspace made on this host, if it is one. */
function pidOf(name: string): number | undefined {
  const m = name.startsWith(THIS_HOST) ? /^(\d+)-[A-Za-z0-9]{6}$/.exec(name.slice(THIS_HOST.length)) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Removes the workspaces of processes that no longer run, and returns their names. Call it when a process starts,
 * before it opens a workspace: one named with this process's own id then comes from an earlier process that had
 * the same id (a restarted container's PID 1), so it is stale too.
 */
export async function removeStaleWorkspaces(dir: string = tmpdir()): Promise<string[]> {
  const stale = (await readdir(dir).catch(() => [] as string[])).filter((name) => {
    const pid = pidOf(name);
    return pid !== undefined && pid > 0 && (pid === process.pid || !isProcessAlive(pid));
  });
  await Promise.all(stale.map((name) => rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined)));
  return stale;
}
