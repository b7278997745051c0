// SIGTERM under load, on the real process and a real PostgreSQL: every request sent before the signal is answered,
// nothing after it fails with a 5xx, readiness turns 503, and the process exits 0 within the grace period.
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { runService, type ServiceProcess } from './service-process';

const CONNECTIONS = 32;
const GRACE_SECONDS = 10;

interface Outcome {
  readonly sentAt: number;
  readonly status?: number;
  readonly error?: string;
}

let db: TestDatabase;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  db = await createTestDatabase('shutdown');
});
afterAll(async () => {
  if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
  await db.drop();
});

function call(agent: http.Agent, port: number, method: string, path: string, body?: string): Promise<Outcome> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ sentAt, status: res.statusCode! }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ sentAt, error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ sentAt, error: error.code ?? error.message }));
    req.end(body);
  });
}

test('SIGTERM under load drains: no request sent before the signal fails, readiness turns 503, exit 0', async () => {
  const env = { DATABASE_URL: db.url, PORT: '0', SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS), LOG_LEVEL: 'info' };
  // The image's two commands: migrate first (as the Job does), then serve.
  const migrate = runService(['migrate'], env);
  expect(await migrate.exited).toBe(0);

  service = runService(['serve'], env);
  const listening = await service.waitForLine((line) => line.msg === `listening on port ${String(line.port)}`);
  const port = listening.port as number;
  expect(listening.database).toBe('postgresql');

  const probe = new http.Agent({ keepAlive: false });
  expect((await call(probe, port, 'PUT', '/hello/Drain', '{"dateOfBirth":"1990-01-01"}')).status).toBe(204);
  expect((await call(probe, port, 'GET', '/readyz')).status).toBe(200);

  const outcomes: Outcome[] = [];
  let stop = false;
  const workers = Array.from({ length: CONNECTIONS }, async (_, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let n = 0; !stop; n++) {
      const outcome =
        n % 4 === 0
          ? await call(agent, port, 'PUT', `/hello/Worker${'x'.repeat(i + 1)}`, '{"dateOfBirth":"1991-02-03"}')
          : await call(agent, port, 'GET', '/hello/Drain');
      outcomes.push(outcome);
      if (outcome.error === 'ECONNREFUSED') break; // the listener is closed: this worker is done
    }
    agent.destroy();
  });

  // Let the load reach a steady state, then signal.
  while (outcomes.length < 2_000) await new Promise((resolve) => setImmediate(resolve));
  const signalAt = performance.now();
  service.child.kill('SIGTERM');
  // Readiness must be 503 from here on, on any connection that is still served.
  const exitCode = await service.exited;
  const stoppedAt = performance.now();
  stop = true;
  await Promise.all(workers);

  expect(exitCode).toBe(0);
  expect(stoppedAt - signalAt).toBeLessThan(GRACE_SECONDS * 1000);
  const stopped = await service.waitForLine((line) => line.msg === 'stopped');
  expect(stopped.drained).toBe(true);

  const before = outcomes.filter((o) => o.sentAt < signalAt);
  const after = outcomes.filter((o) => o.sentAt >= signalAt);
  const failedBefore = before.filter((o) => o.status === undefined || o.status >= 300);
  expect(failedBefore).toEqual([]);
  // After the signal a request is either answered normally or refused at the connection; never a 5xx.
  expect(after.filter((o) => o.status !== undefined && o.status >= 300)).toEqual([]);
  expect(after.filter((o) => o.error !== undefined && !['ECONNREFUSED', 'ECONNRESET'].includes(o.error))).toEqual([]);
  // The load really overlapped the drain: requests were still answered after the signal.
  expect(after.filter((o) => o.status === 200 || o.status === 204).length).toBeGreaterThan(0);
});

test('readiness turns 503 as soon as SIGTERM arrives, while requests still in flight finish', async () => {
  const env = { DATABASE_URL: db.url, PORT: '0', SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS), LOG_LEVEL: 'info' };
  service = runService(['serve'], env);
  const port = (await service.waitForLine((line) => typeof line.port === 'number')).port as number;
  // A keep-alive connection opened before the signal stays usable for one more request, answered with
  // `Connection: close`: that is where readiness can be seen turning 503.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  expect((await call(agent, port, 'GET', '/readyz')).status).toBe(200);
  service.child.kill('SIGTERM');
  await service.waitForLine((line) => line.msg === 'shutting down: readiness off, draining requests');
  const ready = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/readyz', agent }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, connection: res.headers.connection });
      })
      .on('error', reject);
  });
  expect(ready).toEqual({ status: 503, connection: 'close' });
  expect(await service.exited).toBe(0);
  agent.destroy();
});
