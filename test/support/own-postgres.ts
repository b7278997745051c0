// A throwaway PostgreSQL cluster of a test's own (initdb into a temp dir, pg_ctl on a free port), for drills that
// crash the server: the shared one is never touched. Removed with its data when stopped.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './prometheus';

const run = promisify(execFile);

export interface OwnPostgres {
  /** The `postgres` database of the cluster, trust auth. */
  readonly url: string;
  /** kill -9 of the postmaster and every backend at once: a crash, no shutdown checkpoint. */
  crash(): Promise<void>;
  /** Starts the cluster again on the same port (crash recovery replays the WAL) and waits until it accepts. */
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  remove(): Promise<void>;
}

/** PostgreSQL's server binaries: PG_BIN, or where `pg_config --bindir` says. */
async function binDir(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  return (await run('pg_config', ['--bindir'])).stdout.trim();
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user, which owns the directory. */
function asServerUser(file: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = await binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hello-own-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const exec = (tool: string, args: string[]) => run(...asServerUser(path.join(bin, tool), args));
  // Durable as production runs it: fsync and synchronous commit stay on (initdb's defaults).
  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-instructions']);
  const start = async () => {
    await exec('pg_ctl', [
      'start',
      '-w',
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    ]);
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async crash() {
      const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }));
      const pids = [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)];
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      // Wait until every one of them is gone, so the restart finds no old shared memory in use.
      for (const pid of pids) {
        while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start,
    async remove() {
      await exec('pg_ctl', ['stop', '-m', 'immediate', '-D', data]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Running (a zombie no init has reaped yet counts as gone: it holds no shared memory). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
