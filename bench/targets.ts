// The servers the benchmark loads: each a child process on a free port, started on the same fresh database and
// stopped after. The ceilings are bare node:http + pg; the others are the real service, as shipped or with a lever off.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * `service`: every migration applied; `plain`: the users table alone, no trigger; `per-row-trigger`: the first two
 * migrations, whose trigger notified once per changed row.
 */
export type DatabaseKind = 'service' | 'plain' | 'per-row-trigger';

export interface Target {
  readonly name: string;
  readonly description: string;
  readonly entry: string;
  /** @default 'service' */
  readonly database?: DatabaseKind;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const ROOT = path.resolve(__dirname, '..');

/** The service with one lever switched (bench/service-variant.ts reads the variables). */
function variant(name: string, description: string, env: Record<string, string>, database?: DatabaseKind): Target {
  return { name, description, entry: 'bench/service-variant.ts', env, ...(database ? { database } : {}) };
}

export const TARGETS: readonly Target[] = [
  {
    name: 'plain-ceiling',
    description: 'node:http + pg, one prepared plain upsert per request, on its own table with no trigger',
    entry: 'bench/ceiling-server.ts',
    database: 'plain',
    env: { CEILING_WRITE: 'plain' },
  },
  {
    name: 'sql-ceiling',
    description: "node:http + pg, one prepared statement per request with the service's write SQL, on its table",
    entry: 'bench/ceiling-server.ts',
    env: { CEILING_WRITE: 'service' },
  },
  {
    name: 'service',
    description: 'the service as shipped (service/main.ts serve)',
    entry: 'service/main.ts',
    args: ['serve'],
  },
  variant(
    'single-writes',
    "the service with one write statement per request (the service's SQL, one row): no coalescing",
    { BENCH_WRITE: 'single' },
  ),
  ...[2, 4].map((n) =>
    variant(`batches-${n}`, `the service with up to ${n} write batches committing at once`, {
      BENCH_BATCHES_IN_FLIGHT: String(n),
    }),
  ),
  ...[1, 4].map((n) =>
    variant(
      `no-trigger-batches-${n}`,
      `the service with up to ${n} write batches at once, on the plain table (no notification at all)`,
      { BENCH_BATCHES_IN_FLIGHT: String(n) },
      'plain',
    ),
  ),
  variant(
    'per-row-trigger',
    'the service on a database with the previous per-row NOTIFY trigger (no notification it reads)',
    {},
    'per-row-trigger',
  ),
  variant('no-cache', 'the service without the cache (prepared statement read)', { BENCH_CACHE_ENTRIES: '0' }),
  variant('no-cache-unnamed', 'the service without the cache, read as an unnamed statement (re-parsed each time)', {
    BENCH_CACHE_ENTRIES: '0',
    BENCH_READ: 'unnamed',
  }),
  variant('no-cache-prisma', 'the service without the cache, read with Prisma findUnique', {
    BENCH_CACHE_ENTRIES: '0',
    BENCH_READ: 'prisma',
  }),
  variant('unprepared-writes', "the service with Prisma's statements (the write) unnamed, re-parsed each time", {
    BENCH_PRISMA_STATEMENTS: 'unnamed',
  }),
  variant('upsert-writes', "the service writing with Prisma's user.upsert, one per request", { BENCH_WRITE: 'upsert' }),
  {
    name: 'service-quiet',
    description: 'the service as shipped but LOG_LEVEL=warn (no access log line per request)',
    entry: 'service/main.ts',
    args: ['serve'],
    env: { LOG_LEVEL: 'warn' },
  },
  // Other checkouts of this repository (`git archive <commit> service contract prisma | tar -x -C <dir>`, with
  // node_modules and prisma/generated linked in), so each step is measured against the ones before it in one run.
  ...checkouts(process.env.BENCH_CHECKOUTS),
];

/** `name=dir,name=dir` → one target per checkout, each running that checkout's service/main.ts. */
function checkouts(spec: string | undefined): Target[] {
  return (spec ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name = '', dir = ''] = entry.split('=');
      if (!name || !dir) throw new Error(`BENCH_CHECKOUTS: expected name=dir, got "${entry}"`);
      return {
        name,
        description: `the service as shipped from the checkout in ${dir}`,
        entry: path.join(path.resolve(dir), 'service/main.ts'),
        args: ['serve'],
      };
    });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningTarget {
  readonly url: string;
  /** CPU time (user + system) the target's process has used so far, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Linux only: utime + stime of a process, from /proc (clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts the target and resolves once it answers HTTP (any status) on its port. */
export async function startTarget(target: Target, databaseUrl: string): Promise<RunningTarget> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(ROOT, target.entry), ...(target.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ...target.env },
      // Logs are written as in production, to a sink nobody reads: their cost stays in the measurement.
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${target.name} exited with ${child.exitCode} before listening`);
    try {
      await fetch(`${url}/hello/x`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${target.name} did not listen within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
