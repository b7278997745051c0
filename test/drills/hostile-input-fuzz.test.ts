// Drill: property-based fuzzing of the real service process with hostile requests (test/drills/hostile-requests.ts).
// Over 10,000 generated requests: never a 5xx; the status the contract demands; helmet headers on every answer;
// problem bodies without internals; afterwards the database holds exactly the last accepted write per user and
// nothing from a rejected request; memory is stable; no date of birth ever reached the logs.
import http from 'node:http';
import fc from 'fast-check';
import { query } from '../support/database';
import { startDrillService, type DrillService } from './drill-service';
import { mib, ms, recordFigures } from './figures';
import { type HostileCase, hostileRequest } from './hostile-requests';
import { type Outcome, processMetric, send } from './load';

jest.setTimeout(240_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_615);
const WARM_UP_RUNS = 1_000;
const RUNS = 10_000;
const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'errors']);
/** What an error body must never show: stack frames, source paths, driver or SQL text, error class names. */
const INTERNALS =
  /\bat \S+ \(|\.ts\b|\.js\b|\/work\/|node_modules|prisma|postgres|SELECT|INSERT|ECONN|TypeError|SyntaxError|stack/i;
const GREETING = /^Hello, [A-Za-z]{1,64}! (Happy birthday!|Your birthday is in \d{1,3} day\(s\))$/;

let service: DrillService;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
beforeAll(async () => {
  service = await startDrillService({ label: 'fuzz', env: { LOG_LEVEL: 'info' } });
});
afterAll(async () => {
  agent.destroy();
  await service?.stop();
});

/** The last accepted write per user, in the order the (sequential) requests were answered. */
const accepted = new Map<string, string>();
const sentDates = new Set<string>();
const byLabel = new Map<string, { sent: number; status: Map<number, number> }>();
let requests = 0;
let slowest = 0;

/** The contract for one answer; throws (failing the property, which fast-check then shrinks) when broken. */
function check(c: HostileCase, o: Outcome): void {
  const where = `${c.label}: ${c.method} ${c.path}`;
  if (o.status === undefined) throw new Error(`${where}: no answer (${o.error})`);
  if (o.status >= 500) throw new Error(`${where}: ${o.status} ${o.body}`);
  if (c.expect === 'accepted' && o.status >= 300)
    throw new Error(`${where}: expected success, got ${o.status} ${o.body}`);
  if (c.expect === 'rejected' && o.status < 400) throw new Error(`${where}: expected a 4xx, got ${o.status}`);
  const h = o.headers!;
  for (const [name, value] of [
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'SAMEORIGIN'],
    ['strict-transport-security', 'max-age='],
    ['content-security-policy', "default-src 'self'"],
    ['cross-origin-opener-policy', 'same-origin'],
    ['referrer-policy', 'no-referrer'],
  ] as const) {
    if (!String(h[name] ?? '').includes(value)) throw new Error(`${where}: ${o.status} without ${name}`);
  }
  if (h['x-powered-by'] !== undefined) throw new Error(`${where}: x-powered-by is sent`);
  if (o.status >= 400 && c.method !== 'HEAD') {
    if (h['content-type'] !== 'application/problem+json; charset=utf-8')
      throw new Error(`${where}: ${h['content-type']}`);
    const problem = JSON.parse(o.body!) as Record<string, unknown>;
    if (problem.status !== o.status || !Object.keys(problem).every((k) => PROBLEM_KEYS.has(k))) {
      throw new Error(`${where}: not a problem: ${o.body}`);
    }
    const shown = `${String(problem.title)} ${String(problem.detail)}`;
    if (INTERNALS.test(shown)) throw new Error(`${where}: internals in ${o.body}`);
  }
  if (o.status === 200 && c.method === 'GET') {
    const { message } = JSON.parse(o.body!) as { message: string };
    if (!GREETING.test(message)) throw new Error(`${where}: greeting ${message}`);
  }
  if (o.status === 204) {
    if (!c.write?.key) throw new Error(`${where}: accepted a request that carries no valid write`);
    accepted.set(c.write.key, c.write.date);
  }
}

async function fuzz(runs: number, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileRequest, async (c) => {
      for (const date of c.dates) sentDates.add(date);
      const o = await send(agent, service.port, c, { hangLimitMs: 5_000 });
      requests += 1;
      slowest = Math.max(slowest, o.ms);
      const tally = byLabel.get(c.label) ?? { sent: 0, status: new Map<number, number>() };
      tally.sent += 1;
      tally.status.set(o.status ?? 0, (tally.status.get(o.status ?? 0) ?? 0) + 1);
      byLabel.set(c.label, tally);
      check(c, o);
    }),
    { numRuns: runs, seed, endOnFailure: false },
  );
}

interface Memory {
  readonly rss: number;
  readonly heap: number;
}
async function memoryNow(): Promise<Memory> {
  return {
    rss: await processMetric(service.port, 'process_resident_memory_bytes'),
    heap: await processMetric(service.port, 'nodejs_heap_size_used_bytes'),
  };
}

async function storedRows(): Promise<Map<string, string>> {
  const rows = await query<{ username: string; d: string }>(
    service.db.url,
    `SELECT username, to_char(date_of_birth, 'YYYY-MM-DD') AS d FROM users`,
  );
  return new Map(rows.map((r) => [r.username, r.d]));
}

test(`${RUNS + WARM_UP_RUNS} hostile requests: never a 5xx, nothing stored from a rejected one, stable memory, no dates in logs`, async () => {
  process.stdout.write(`hostile-input fuzz: fast-check seed ${SEED} (FUZZ_SEED=${SEED} replays it)\n`);
  const started = performance.now();
  await fuzz(WARM_UP_RUNS, SEED + 1);
  const memory = [await memoryNow()];
  // Two equal halves: a leak grows in both, warm-up growth (heap sizing, allocator arenas) only in the first.
  await fuzz(RUNS / 2, SEED);
  memory.push(await memoryNow());
  await fuzz(RUNS / 2, SEED + 2);
  memory.push(await memoryNow());
  const seconds = (performance.now() - started) / 1000;
  const [warm, half, end] = memory as [Memory, Memory, Memory];

  // The database holds the last accepted write of each user, and nothing else.
  const stored = await storedRows();
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(accepted));

  // No date of birth in any log line (the timestamp is the log's own).
  const lines = service.process.stdout().split('\n').filter(Boolean);
  const leaks = lines.filter((line) => {
    const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return (JSON.stringify(rest).match(/\d{4}-\d{2}-\d{2}/g) ?? []).some((d) => sentDates.has(d));
  });
  const errorLines = lines.filter((line) => /"level":"(error|fatal)"/.test(line));

  const statuses = new Map<number, number>();
  for (const t of byLabel.values()) for (const [s, n] of t.status) statuses.set(s, (statuses.get(s) ?? 0) + n);
  recordFigures('hostile-input fuzz', `fast-check seed ${SEED}`, {
    requests,
    'req/s': Math.round(requests / seconds),
    statuses: [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' '),
    '5xx': [...statuses].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0),
    'users stored': stored.size,
    'stored from rejected': 0,
    'slowest ms': ms(slowest),
    'RSS MiB (warm → half → end)': `${mib(warm.rss)} → ${mib(half.rss)} → ${mib(end.rss)}`,
    'heap used MiB': `${mib(warm.heap)} → ${mib(half.heap)} → ${mib(end.heap)}`,
    'log lines': lines.length,
    'dates of birth in logs': leaks.length,
  });

  expect(requests).toBeGreaterThanOrEqual(10_000);
  expect(leaks).toEqual([]);
  expect(errorLines).toEqual([]);
  expect(service.process.child.exitCode).toBeNull();
  // Generous bounds, not fragile ones: over the second 5,000 requests a leak of a few KiB per request shows as
  // tens of MiB, while garbage-collector timing moves the heap by a few.
  expect(end.rss - half.rss).toBeLessThan(64 * 1024 * 1024);
  expect(end.heap - warm.heap).toBeLessThan(64 * 1024 * 1024);
});
