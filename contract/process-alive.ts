// Whether a process id names a running process on this host: how a lock or a workspace named after a PID tells a
// live owner from one that was killed (the service's data-folder lock, the release tool's stale workspaces).

/** True when a process with this id exists, whoever owns it. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
