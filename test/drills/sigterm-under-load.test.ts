// Drill: SIGTERM while 32 clients keep the service busy. Every request sent before the signal succeeds, later ones
// are answered or refused at the connection (never a 5xx), and the process exits 0 within its grace period.
import { startDrillService, type DrillService } from './drill-service';
import { ms, recordFigures } from './figures';
import { type DrillRequest, sleep, startLoad } from './load';

jest.setTimeout(60_000);

const CLIENTS = 32;
const GRACE_SECONDS = 10;

let service: DrillService;
beforeAll(async () => {
  service = await startDrillService({
    label: 'sigterm',
    env: { LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) },
  });
});
afterAll(async () => {
  await service?.stop();
});

function traffic(client: number, n: number): DrillRequest {
  const user = `Drain${'x'.repeat(client + 1)}`;
  return n % 4 === 0
    ? { method: 'PUT', path: `/hello/${user}`, body: JSON.stringify({ dateOfBirth: '1991-02-03' }) }
    : { method: 'GET', path: n < 4 ? '/healthz' : `/hello/${user}` };
}

test('SIGTERM under load: no request sent before the signal fails, none after is a 5xx, exit 0 within the grace period', async () => {
  const { port, process: child } = service;
  const load = startLoad({ port, clients: CLIENTS, next: traffic });
  await sleep(1_500);
  const signalAt = performance.now();
  child.child.kill('SIGTERM');
  const exitCode = await child.exited;
  const exitMs = performance.now() - signalAt;
  const outcomes = await load.stop();

  const before = outcomes.filter((o) => o.sentAt < signalAt);
  const after = outcomes.filter((o) => o.sentAt >= signalAt);
  const failedBefore = before.filter((o) => o.status === undefined || o.status >= 300);
  const answeredAfter = after.filter((o) => o.status !== undefined && o.status < 300);
  const refusedAfter = after.filter((o) => o.error === 'ECONNREFUSED' || o.error === 'ECONNRESET');
  const stopped = await child.waitForLine((line) => line.msg === 'stopped');
  recordFigures('SIGTERM under load', `${CLIENTS} clients, grace ${GRACE_SECONDS} s`, {
    'sent before signal': before.length,
    'failed of those': failedBefore.length,
    'answered after signal': answeredAfter.length,
    '5xx after signal': after.filter((o) => (o.status ?? 0) >= 500).length,
    'exit code': exitCode,
    'exit ms': ms(exitMs),
    drained: String(stopped.drained),
  });

  expect(before.length).toBeGreaterThan(500);
  expect(failedBefore.map((o) => `${o.request.method} ${o.request.path}: ${o.status ?? o.error}`)).toEqual([]);
  expect(after.filter((o) => !answeredAfter.includes(o) && !refusedAfter.includes(o))).toEqual([]);
  expect(exitCode).toBe(0);
  expect(exitMs).toBeLessThan(GRACE_SECONDS * 1000);
  expect(stopped.drained).toBe(true);
});
