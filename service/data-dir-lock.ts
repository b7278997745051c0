// One process per embedded data folder: PGlite holds the database in memory and writes it back to the folder, so a
// second process on the same folder would acknowledge writes that the first one's files later overwrite. A lock
// file names the owning PID; a lock whose process is gone (kill -9, a crash) is stale and taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../contract/process-alive';

/** The data folder is held by a live process; the message is the one line an operator needs. */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `the data folder ${dataDir} is in use by PID ${pid} (lock file ${lockFile}); stop that process or set DATA_DIR to another folder`,
    );
    this.name = 'DataDirInUse';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still this process's. Safe to call more than once. */
  release(): void;
}

const LOCK_FILE = 'hello-app.lock';

/**
 * Takes the folder's lock for this process, or throws DataDirInUse naming the live owner. A lock naming this very
 * PID is stale too: in a container every start is PID 1, so a crashed predecessor's lock names the successor's PID.
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  // Two attempts: the second follows the removal of a stale lock; losing that race to another starter means the
  // winner now holds a live lock, which the second attempt reports.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (owner !== undefined && owner !== pid && isProcessAlive(owner)) throw new DataDirInUse(dataDir, owner, file);
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${pid}\n`);
    } finally {
      closeSync(fd);
    }
    return { file, release: () => (ownerOf(file) === pid ? rmSync(file, { force: true }) : undefined) };
  }
  throw new DataDirInUse(dataDir, ownerOf(file) ?? -1, file);
}

/** The PID a lock file names; undefined when unreadable or not a PID (a torn write). */
function ownerOf(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}
