// A throwaway PostgreSQL cluster of a test's own (initdb into a temp dir, the server on a free port), for drills that
// crash the server: the shared one is never touched. Removed with its data when stopped.
import { execFile, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { withConnection } from './database';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const run = promisify(execFile);

export interface OwnPostgres {
  /** The `postgres` database of the cluster, trust auth. */
  readonly url: string;
  /** kill -9 of the postmaster and every backend at once: a crash, no shutdown checkpoint. */
  crash(): Promise<void>;
  /** Starts the server again on the same port (crash recovery replays the WAL) and waits until it accepts. */
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  remove(): Promise<void>;
}

/**
 * PostgreSQL's server binaries: PG_BIN, where `pg_config --bindir` says, or Debian's newest /usr/lib/postgresql/N/bin;
 * undefined when none holds initdb.
 */
export async function serverBinDir(): Promise<string | undefined> {
  const candidates = [process.env.PG_BIN];
  candidates.push(
    await run('pg_config', ['--bindir']).then(
      (r) => r.stdout.trim(),
      () => undefined,
    ),
  );
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(debian, version, 'bin'));
  return candidates.find((dir) => dir && existsSync(path.join(dir, 'initdb')));
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user, which owns the directory. */
function asServerUser(file: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = await serverBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries (initdb): install the server package or set PG_BIN');
  // As root the server runs as `postgres`, which must reach its directory: the test run's own TMPDIR is private
  // (mode 0700), /tmp is not. The directory is removed either way.
  const dir = mkdtempSync(path.join(process.getuid?.() === 0 ? '/tmp' : os.tmpdir(), 'hello-own-pg-'));
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
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  // The server is this process's child (not pg_ctl's, which would leave it to PID 1): once killed it is reaped here,
  // so no zombie keeps its PID alive in the eyes of the next start's postmaster.pid check.
  let exited: Promise<void> = Promise.resolve();
  const postmasterPid = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const start = async () => {
    const log = openSync(path.join(dir, 'server.log'), 'a');
    const [file, args] = asServerUser(path.join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
    ]);
    const child = spawn(file, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    let gone = false;
    exited = new Promise((resolve) =>
      child.once('exit', () => {
        gone = true;
        resolve();
      }),
    );
    // Crash recovery replays the WAL first: allow it time on a loaded machine.
    await waitFor(
      'the own PostgreSQL to accept connections',
      async () => {
        if (gone) throw new Error(`postgres exited: ${readFileSync(path.join(dir, 'server.log'), 'utf8')}`);
        return withConnection(url, () => Promise.resolve(true));
      },
      { timeoutMs: 60_000, everyMs: 100, retryErrors: true },
    );
  };
  await start();
  return {
    url,
    async crash() {
      const postmaster = postmasterPid();
      const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }));
      const pids = [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)];
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await exited;
      // Backends are reaped elsewhere (or linger as zombies, which hold no shared memory).
      for (const pid of pids) {
        while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start,
    async remove() {
      try {
        process.kill(postmasterPid(), 'SIGQUIT'); // immediate shutdown: the data is thrown away next
        await exited;
      } catch {
        // Not running.
      }
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
