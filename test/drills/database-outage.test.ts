// Drill: the database goes away under load and comes back. Its connections are cut at a TCP proxy (the shared
// PostgreSQL keeps running): refused outright, then a black hole that accepts and never answers. While it is down
// every request fails fast with 503 problem+json and /readyz is 503; the process stays up; once the database is
// back, requests succeed again within 5 s without a restart, and no connections or memory leak.
import { query } from '../support/database';
import { startDrillService, type DrillService } from './drill-service';
import { mib, ms, recordFigures } from './figures';
import { type DrillRequest, type Outcome, processMetric, send, sleep, startLoad } from './load';
import http from 'node:http';

jest.setTimeout(120_000);

const CLIENTS = 16;
const OUTAGE_MS = 4_000;
const FAIL_FAST_MS = 2_000;
/**
 * Until the service has read the close event of its LISTEN connection, its cache still answers reads of known
 * users: a busy event loop takes a moment to get there. Bounded, and reported.
 */
const NOTICE_MS = 500;
const RECOVERY_LIMIT_MS = 5_000;
const USERS = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Dennis'];

let service: DrillService;
beforeAll(async () => {
  service = await startDrillService({ label: 'outage', behindProxy: true });
  for (const user of USERS) {
    const res = await fetch(`http://127.0.0.1:${service.port}/hello/${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dateOfBirth: '1990-03-04' }),
    });
    expect(res.status).toBe(204);
  }
});
afterAll(async () => {
  await service?.stop();
});

/** Reads of known users (which the cache would love to answer) and writes, in turn. */
function traffic(client: number, n: number): DrillRequest {
  const user = USERS[(client + n) % USERS.length]!;
  return n % 3 === 2
    ? { method: 'PUT', path: `/hello/${user}`, body: JSON.stringify({ dateOfBirth: '1991-05-06' }) }
    : { method: 'GET', path: `/hello/${user}` };
}

/** Polls /readyz every 100 ms on its own connection while the drill runs. */
function probeReadiness(port: number) {
  const probes: Outcome[] = [];
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const loop = (async () => {
    while (running) {
      probes.push(await send(agent, port, { method: 'GET', path: '/readyz' }));
      await sleep(100);
    }
    agent.destroy();
  })();
  return {
    probes,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function serviceConnections(database: string): Promise<number> {
  const rows = await query<{ n: number }>(
    service.db.url,
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'hello-app%'",
    [database],
  );
  return rows[0]!.n;
}

const ok = (o: Outcome) => o.status !== undefined && o.status < 300;

describe.each([
  { mode: 'refused', cut: 'connections cut and refused' },
  { mode: 'black-hole', cut: 'connections cut, new ones accepted and never answered' },
] as const)('database outage ($mode)', ({ mode, cut }) => {
  test(`${cut}: requests fail fast with 503, readiness is 503, and they succeed again within 5 s of its return`, async () => {
    const { port, proxy } = service;
    const readiness = probeReadiness(port);
    const load = startLoad({ port, clients: CLIENTS, next: traffic });
    await sleep(1_000);
    // Measured under load, warmed up: startup and JIT growth are not a leak.
    const rssBefore = await processMetric(port, 'process_resident_memory_bytes');
    const heapBefore = await processMetric(port, 'nodejs_heap_size_used_bytes');

    await proxy!.stop();
    if (mode === 'black-hole') await proxy!.start('black-hole');
    const downAt = performance.now();
    await sleep(OUTAGE_MS);
    if (mode === 'black-hole') await proxy!.stop();
    const upAt = performance.now();
    await proxy!.start('forward');
    await sleep(RECOVERY_LIMIT_MS + 1_000);
    const outcomes = await load.stop();
    await readiness.stop();

    // Sent while the database was away: each one answered within 2 s, with a 503 problem and Retry-After, or
    // with success when the database came back while it waited for a connection.
    const duringOutage = outcomes.filter((o) => o.sentAt >= downAt && o.sentAt < upAt);
    const failedFast = duringOutage.filter((o) => o.status === 503 && o.ms < FAIL_FAST_MS);
    const servedOnReturn = duringOutage.filter((o) => ok(o) && o.ms < FAIL_FAST_MS && o.sentAt + o.ms >= upAt);
    const servedAtCut = duringOutage.filter(
      (o) => ok(o) && o.request.method === 'GET' && o.sentAt - downAt < NOTICE_MS && !servedOnReturn.includes(o),
    );
    const hung = outcomes.filter((o) => o.error !== undefined);
    const slowest = Math.max(...duringOutage.map((o) => o.ms));
    for (const o of duringOutage.filter((o) => o.status === 503).slice(0, 50)) {
      expect(o.headers?.['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(o.headers?.['retry-after']).toBe('5');
      expect(o.headers?.['x-content-type-options']).toBe('nosniff');
      expect(o.headers?.['content-security-policy']).toContain("default-src 'self'");
      expect(JSON.parse(o.body!)).toMatchObject({ status: 503, title: 'Service Unavailable' });
    }
    // Recovery: from the database's return to the first request after which every request succeeded.
    const afterReturn = outcomes.filter((o) => o.sentAt >= upAt).sort((a, b) => a.sentAt - b.sentAt);
    const lastFailure = afterReturn.findLastIndex((o) => !ok(o));
    const firstOfGoodRun = afterReturn[lastFailure + 1];
    const recoveryMs = firstOfGoodRun ? firstOfGoodRun.sentAt - upAt : Infinity;
    const readyDuring = readiness.probes.filter((p) => p.sentAt >= downAt && p.sentAt < upAt);
    const readyAfter = readiness.probes.filter((p) => p.sentAt >= upAt + RECOVERY_LIMIT_MS);

    // Settle, then look for leaks: connections back within the pool's bound, memory not running away.
    await sleep(500);
    const connections = await serviceConnections(service.db.name);
    const rssAfter = await processMetric(port, 'process_resident_memory_bytes');
    const heapAfter = await processMetric(port, 'nodejs_heap_size_used_bytes');
    recordFigures('database outage', mode, {
      'outage s': OUTAGE_MS / 1000,
      sent: outcomes.length,
      'sent during outage': duringOutage.length,
      'failed fast (503 < 2 s)': failedFast.length,
      'served on return': servedOnReturn.length,
      'cached reads at the cut': `${servedAtCut.length} (last ${ms(Math.max(0, ...servedAtCut.map((o) => o.sentAt - downAt)))} ms in)`,
      'slowest failure ms': ms(slowest),
      hung: hung.length,
      'readyz 503 during outage': `${readyDuring.filter((p) => p.status === 503).length}/${readyDuring.length}`,
      'recovery ms': ms(recoveryMs),
      'process exits': 0,
      'db connections after': connections,
      'RSS MiB': `${mib(rssBefore)} → ${mib(rssAfter)}`,
      'heap used MiB': `${mib(heapBefore)} → ${mib(heapAfter)}`,
    });

    expect(hung).toEqual([]);
    // A black hole holds each request for the connection timeout, so fewer are sent.
    expect(duringOutage.length).toBeGreaterThan(mode === 'black-hole' ? 20 : 100);
    expect(
      duringOutage
        .filter((o) => !failedFast.includes(o) && !servedOnReturn.includes(o) && !servedAtCut.includes(o))
        .map((o) => `${o.request.method} ${o.status ?? o.error} ${ms(o.ms)} ms ${ms(o.sentAt - downAt)} ms in`),
    ).toEqual([]);
    // A black hole holds each probe for the connection timeout (1.5 s).
    expect(readyDuring.length).toBeGreaterThanOrEqual(2);
    expect(
      readyDuring
        .filter((p) => !(p.status === 503 || (p.status === 200 && p.sentAt + p.ms >= upAt)))
        .map((p) => `${p.status ?? p.error} ${ms(p.ms)} ms, ${ms(p.sentAt - downAt)} ms in`),
    ).toEqual([]);
    expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(afterReturn.filter(ok).length).toBeGreaterThan(100);
    expect(readyAfter.length).toBeGreaterThan(0);
    expect(readyAfter.every((p) => p.status === 200)).toBe(true);
    expect(service.process.child.exitCode).toBeNull();
    // The pool (10) and the LISTEN connection, never one more per outage.
    expect(connections).toBeLessThanOrEqual(11);
    expect(rssAfter - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });
});
