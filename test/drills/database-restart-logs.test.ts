// Drill: the database drops every connection of the service (what a restart does to its clients), and the log of
// that event is searched for what must never be there: the query-cancel secret key, the database user, the password.
import pino from 'pino';
import { applyMigrations } from '../../service/migrate';
import { startDrillService, type DrillService } from './drill-service';
import { recordFigures } from './figures';
import { createTestDatabase, query, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';

jest.setTimeout(90_000);

let db: TestDatabase;
let service: DrillService;
/** The URL the service is given: with a password of its own where the server does not check it (trust). */
let serviceUrl: string;
beforeAll(async () => {
  db = await createTestDatabase('restartlogs');
  await applyMigrations(db.url, { logger: pino({ level: 'silent' }) });
  const distinct = new URL(db.url);
  distinct.password = 'drill-Secret-7f3a';
  serviceUrl = await query(distinct.toString(), 'SELECT 1').then(
    () => distinct.toString(),
    () => db.url,
  );
  service = await startDrillService({ label: 'restartlogs', db, env: { LOG_LEVEL: 'info', DATABASE_URL: serviceUrl } });
});
afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('when the database drops the connections, the log says so without credentials or connection internals', async () => {
  const base = `http://127.0.0.1:${service.port}`;
  // Several requests at once, so the pool holds several idle connections when they are dropped.
  await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`${base}/hello/restart${'x'.repeat(i)}`)));
  const terminated = await query<{ n: string }>(
    service.db.url,
    'SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [service.db.name],
  );
  const lost = await service.process.waitForLine((line) => line.msg === 'idle database connection lost');
  // The service recovers: the next request gets a fresh connection.
  const recovered = await waitFor('a request after the drop to be answered', async () => {
    const res = await fetch(`${base}/hello/restart`);
    return res.status === 404 && res.status;
  });

  const { username, password } = new URL(serviceUrl);
  const log = service.process.stdout() + service.process.stderr();
  const leaks = {
    secretKey: /secretKey/i.test(log),
    user: username !== '' && new RegExp(`\\b${escape(decodeURIComponent(username))}\\b`).test(log),
    password: password !== '' && new RegExp(`\\b${escape(decodeURIComponent(password))}\\b`).test(log),
    'connection object': /"client"|"connectionParameters"|"processID"/.test(log),
  };
  recordFigures('HTTP edge', 'database drops every connection: the log', {
    'connections dropped': Number(terminated[0]?.n ?? 0),
    'secret key, user, password or client in log': Object.values(leaks).some(Boolean),
  });
  expect(lost.err).toMatchObject({ type: expect.any(String), message: expect.any(String) });
  expect(recovered).toBe(404);
  expect(leaks).toEqual({ secretKey: false, user: false, password: false, 'connection object': false });
});
