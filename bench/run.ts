// `npm run bench`: loads GET and PUT /hello/<username> with autocannon (32 connections, fixed duration after a
// warm-up) against two ceilings (bare node:http + pg: on a plain table, and with the service's SQL on the service's
// table) and the real service, side by side on fresh databases, and prints requests/s, p50 and p99, the target's CPU
// time per request, and each target's ratio to both ceilings measured in the same run (median and range over the
// rounds). Settings come from the environment (bench/arguments.ts prints them: `npm run bench -- --help`).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { applyMigrations } from '../service/migrate';
import { loadMigrations } from '../service/migrations';
import { parseArguments, USAGE } from './arguments';
import { type DatabaseKind, type RunningTarget, startTarget, type Target, TARGETS } from './targets';
import { dateOfBirthFor, USER_COUNT, usernameFor } from './workload';
import autocannon from 'autocannon';

type Result = autocannon.Result;

type Case = 'GET' | 'PUT';
const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 1);
const SLICES = Number(env.BENCH_SLICES ?? 5);
const CASES = (env.BENCH_CASES ?? 'GET,PUT').split(',').filter((c): c is Case => c === 'GET' || c === 'PUT');
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

interface Measurement {
  readonly target: string;
  readonly case: Case;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  /** CPU time the target's process spent per answered request, in microseconds. */
  readonly cpuUs: number;
}

/** The reference of every ratio: one plain upsert per request on a table without a trigger. */
const PLAIN_CEILING = 'plain-ceiling';
/** The same, sending the service's own write SQL to the service's table, its change notification included. */
const SQL_CEILING = 'sql-ceiling';
const CEILINGS = [PLAIN_CEILING, SQL_CEILING];

function selectedTargets(): Target[] {
  const wanted = (env.BENCH_TARGETS ?? 'service').split(',').map((s) => s.trim());
  if (wanted.includes('all')) return [...TARGETS];
  const unknown = wanted.filter((name) => !TARGETS.some((t) => t.name === name));
  if (unknown.length)
    throw new Error(`unknown BENCH_TARGETS ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  // Both ceilings always run: every ratio is against them, measured in the same run.
  return TARGETS.filter((t) => CEILINGS.includes(t.name) || wanted.includes(t.name));
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database of that kind with USER_COUNT users, so GETs find someone. */
async function freshDatabase(kind: DatabaseKind): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hello_bench_${kind}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const migrations = loadMigrations();
  await applyMigrations(url.toString(), {
    logger: pino({ level: 'warn' }),
    migrations:
      kind === 'plain' ? migrations.slice(0, 1) : kind === 'per-row-trigger' ? migrations.slice(0, 2) : migrations,
  });
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const keys = Array.from({ length: USER_COUNT }, (_, i) => usernameFor(i).toLowerCase());
  await client.query(`INSERT INTO users (username, date_of_birth) SELECT * FROM unnest($1::text[], $2::date[])`, [
    keys,
    keys.map((_, i) => dateOfBirthFor(i)),
  ]);
  await client.query('VACUUM ANALYZE users');
  await client.end();
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

function load(url: string, kind: Case, seconds: number, latencies?: number[]): PromiseLike<Result> {
  let i = 0;
  const next = () => i++ % USER_COUNT;
  const request =
    kind === 'GET'
      ? { method: 'GET', setupRequest: (r: object) => ({ ...r, path: `/hello/${usernameFor(next())}` }) }
      : {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          setupRequest: (r: object) => {
            const n = next();
            return {
              ...r,
              path: `/hello/${usernameFor(n)}`,
              body: JSON.stringify({ dateOfBirth: dateOfBirthFor(n + i) }),
            };
          },
        };
  const run = autocannon({ url, connections: CONNECTIONS, duration: seconds, timeout: 10, requests: [request] });
  if (latencies) run.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  return run;
}

interface Tally {
  requests: number;
  seconds: number;
  cpuSeconds: number;
  failed: number;
  readonly latencies: number[];
}

/**
 * One case against every target: all of them started and warmed up, then loaded in turn for short slices, the order
 * reversed every slice. A disturbance on this shared machine (another process's fsyncs, a compile) then falls on
 * every target alike instead of on whichever happened to run at that moment.
 */
async function measureCase(
  order: readonly Target[],
  databases: Readonly<Record<DatabaseKind, string>>,
  kind: Case,
): Promise<Measurement[]> {
  const running: { target: Target; server: RunningTarget; tally: Tally }[] = [];
  try {
    for (const target of order) {
      const server = await startTarget(target, databases[target.database ?? 'service']);
      running.push({ target, server, tally: { requests: 0, seconds: 0, cpuSeconds: 0, failed: 0, latencies: [] } });
    }
    for (const { server } of running) if (WARMUP_SECONDS > 0) await load(server.url, kind, WARMUP_SECONDS);
    for (let slice = 0; slice < SLICES; slice++) {
      for (const { server, tally } of slice % 2 ? [...running].reverse() : running) {
        const cpuBefore = server.cpuSeconds();
        const result = await load(server.url, kind, SECONDS / SLICES, tally.latencies);
        tally.cpuSeconds += server.cpuSeconds() - cpuBefore;
        tally.requests += result.requests.total;
        tally.seconds += result.duration;
        tally.failed += result.errors + result.timeouts + result.non2xx;
      }
    }
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()));
  }
  return running.map(({ target, tally }) => {
    const sorted = Float64Array.from(tally.latencies).sort();
    const percentile = (p: number) => Math.round((sorted[Math.floor(p * (sorted.length - 1))] ?? NaN) * 10) / 10;
    return {
      target: target.name,
      case: kind,
      rps: tally.requests / tally.seconds,
      p50: percentile(0.5),
      p99: percentile(0.99),
      failed: tally.failed,
      cpuUs: (tally.cpuSeconds * 1e6) / Math.max(1, tally.requests),
    };
  });
}

const tenths = (value: number) => Math.round(value * 10) / 10;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One row per case and target: medians over the rounds, and the median of each round's ratio to that round's
 * ceilings (a ratio is only meaningful between runs made minutes apart on the same noisy machine).
 */
function table(rounds: readonly (readonly Measurement[])[], targets: readonly Target[]): string {
  const lines = [
    '| case | target | requests/s | p50 ms | p99 ms | failed | CPU µs/req | vs plain ceiling | range | vs same-SQL ceiling |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const kind of CASES) {
    for (const target of targets) {
      const find = (round: readonly Measurement[], name: string) =>
        round.find((m) => m.case === kind && m.target === name)!;
      const runs = rounds.map((round) => find(round, target.name));
      const ratiosTo = (ceiling: string) => rounds.map((round, i) => runs[i]!.rps / find(round, ceiling).rps);
      const plain = ratiosTo(PLAIN_CEILING);
      const range = `${Math.min(...plain).toFixed(2)}-${Math.max(...plain).toFixed(2)}`;
      lines.push(
        `| ${kind} | ${target.name} | ${Math.round(median(runs.map((m) => m.rps)))} | ${tenths(median(runs.map((m) => m.p50)))} | ` +
          `${tenths(median(runs.map((m) => m.p99)))} | ${runs.reduce((n, m) => n + m.failed, 0)} | ` +
          `${Math.round(median(runs.map((m) => m.cpuUs)))} | ${median(plain).toFixed(2)}x | ${range} | ` +
          `${median(ratiosTo(SQL_CEILING)).toFixed(2)}x |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const targets = selectedTargets();
  const kinds = [...new Set(targets.map((t) => t.database ?? 'service'))];
  const created: { kind: DatabaseKind; url: string; drop: () => Promise<void> }[] = [];
  const databases = {} as Record<DatabaseKind, string>;
  const rounds: Measurement[][] = [];
  process.stderr.write(
    `bench: ${targets.map((t) => t.name).join(', ')}; ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per case, ${ROUNDS} round(s)\n`,
  );
  try {
    for (const kind of kinds) {
      const database = { kind, ...(await freshDatabase(kind)) };
      created.push(database);
      databases[kind] = database.url;
    }
    for (let round = 1; round <= ROUNDS; round++) {
      const measurements: Measurement[] = [];
      rounds.push(measurements);
      // Alternate the order, so no target always runs right after the same neighbour or at the same moment.
      const order = round % 2 ? targets : [...targets].reverse();
      for (const kind of CASES) {
        for (const m of await measureCase(order, databases, kind)) {
          process.stderr.write(
            `  ${kind} ${m.target}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
              `${Math.round(m.cpuUs)} CPU µs/req, failed ${m.failed}\n`,
          );
          measurements.push(m);
        }
      }
    }
  } finally {
    await Promise.all(created.map((database) => database.drop()));
  }
  process.stdout.write(
    `\n${table(rounds, targets)}\n\n${targets.map((t) => `- ${t.name}: ${t.description}`).join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
