// `npm run bench`: loads GET and PUT /hello/<username> with autocannon (32 connections, fixed duration after a
// warm-up) against the ceiling (bare node:http + pg) and the real service, side by side on one fresh database,
// and prints requests/s, p50 and p99, the target's CPU time per request, and each target's ratio to the ceiling
// measured in the same run (median and range over the rounds).
// Environment: BENCH_TARGETS (comma list, default "ceiling,service"; "all" for every lever), BENCH_SECONDS (10),
// BENCH_WARMUP_SECONDS (3), BENCH_SLICES (5), BENCH_CONNECTIONS (32), BENCH_ROUNDS (1), BENCH_CASES (GET,PUT),
// BENCH_ADMIN_URL,
// BENCH_CHECKOUTS (`name=dir,...`: other checkouts measured as targets of those names).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { applyMigrations } from '../service/migrate';
import { type RunningTarget, startTarget, type Target, TARGETS } from './targets';
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

function selectedTargets(): Target[] {
  const wanted = (env.BENCH_TARGETS ?? 'ceiling,service').split(',').map((s) => s.trim());
  if (wanted.includes('all')) return [...TARGETS];
  const unknown = wanted.filter((name) => !TARGETS.some((t) => t.name === name));
  if (unknown.length)
    throw new Error(`unknown BENCH_TARGETS ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  // The ceiling always runs: every ratio is against it, measured in the same run.
  return TARGETS.filter((t) => t.name === 'ceiling' || wanted.includes(t.name));
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

/** A fresh database with the migrations applied and USER_COUNT users, so GETs find someone. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hello_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString(), { logger: pino({ level: 'warn' }) });
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
async function measureCase(order: readonly Target[], databaseUrl: string, kind: Case): Promise<Measurement[]> {
  const running: { target: Target; server: RunningTarget; tally: Tally }[] = [];
  try {
    for (const target of order) {
      const server = await startTarget(target, databaseUrl);
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One row per case and target: medians over the rounds, and the median of each round's ratio to that round's
 * ceiling (a ratio is only meaningful between runs made minutes apart on the same noisy machine).
 */
function table(rounds: readonly (readonly Measurement[])[], targets: readonly Target[]): string {
  const lines = [
    '| case | target | requests/s | p50 ms | p99 ms | failed | CPU µs/req | vs ceiling | ratio range |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const kind of CASES) {
    for (const target of targets) {
      const runs = rounds.map((round) => ({
        m: round.find((m) => m.case === kind && m.target === target.name)!,
        ceiling: round.find((m) => m.case === kind && m.target === 'ceiling')!,
      }));
      const rps = median(runs.map((r) => r.m.rps));
      const ratios = runs.map((r) => r.m.rps / r.ceiling.rps);
      const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      lines.push(
        `| ${kind} | ${target.name} | ${Math.round(rps)} | ${median(runs.map((r) => r.m.p50))} | ` +
          `${median(runs.map((r) => r.m.p99))} | ${runs.reduce((n, r) => n + r.m.failed, 0)} | ` +
          `${Math.round(median(runs.map((r) => r.m.cpuUs)))} | ${median(ratios).toFixed(2)}x | ${range} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const targets = selectedTargets();
  const database = await freshDatabase();
  const rounds: Measurement[][] = [];
  process.stderr.write(
    `bench: ${targets.map((t) => t.name).join(', ')}; ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per case, ${ROUNDS} round(s)\n`,
  );
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const measurements: Measurement[] = [];
      rounds.push(measurements);
      // Alternate the order, so no target always runs right after the same neighbour or at the same moment.
      const order = round % 2 ? targets : [...targets].reverse();
      for (const kind of CASES) {
        for (const m of await measureCase(order, database.url, kind)) {
          process.stderr.write(
            `  ${kind} ${m.target}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
              `${Math.round(m.cpuUs)} CPU µs/req, failed ${m.failed}\n`,
          );
          measurements.push(m);
        }
      }
    }
  } finally {
    await database.drop();
  }
  process.stdout.write(
    `\n${table(rounds, targets)}\n\n${targets.map((t) => `- ${t.name}: ${t.description}`).join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
