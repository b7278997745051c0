// Drill: many clients writing and reading the same and different users through two service instances on one
// database (each with its own cache, kept coherent by LISTEN/NOTIFY). No request fails, every read returns a date
// some write had sent before the read was answered, and once writes stop both instances agree with the database.
import { query } from '../support/database';
import { daysUntilBirthday, systemClock, todayInZone } from '../../service/birthday';
import { greetingFor } from '../../service/greeting';
import { parseCalendarDate } from '../../service/validation';
import { startDrillService, type DrillService } from './drill-service';
import { ms, recordFigures } from './figures';
import { type DrillRequest, type Outcome, send, sleep, startLoad } from './load';
import http from 'node:http';

jest.setTimeout(90_000);

const CLIENTS = 48;
const DURATION_MS = 4_000;
const SHARED = ['Hot', 'Busy', 'Popular'];

let a: DrillService;
let b: DrillService;
beforeAll(async () => {
  a = await startDrillService({ label: 'concurrency' });
  b = await startDrillService({ label: 'concurrency', db: a.db });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

/** A date from 1950-2000 drawn per request, so the dates a user was given are a small part of what could be read. */
function randomDate(): string {
  const t = Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 50 * 365) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const userOf = (client: number, n: number) =>
  n % 2 === 0 ? SHARED[n % SHARED.length]! : `Own${'q'.repeat(client + 1)}`;

function traffic(client: number, n: number): DrillRequest {
  const user = userOf(client, n >> 1);
  return n % 2 === 0
    ? { method: 'PUT', path: `/hello/${user}`, body: JSON.stringify({ dateOfBirth: randomDate() }) }
    : { method: 'GET', path: `/hello/${user}` };
}

const today = todayInZone('UTC', systemClock);
const messageFor = (display: string, date: string) =>
  greetingFor(display, daysUntilBirthday(parseCalendarDate(date), today()));

test(`${CLIENTS} clients on two instances: no error, every read is a value some write sent, instances converge`, async () => {
  // Half the clients talk to each instance.
  const loads = [a, b].map((s, k) =>
    startLoad({ port: s.port, clients: CLIENTS / 2, next: (client, n) => traffic(client * 2 + k, n) }),
  );
  await sleep(DURATION_MS);
  const outcomes = (await Promise.all(loads.map((l) => l.stop()))).flat();

  const writes = outcomes.filter((o) => o.request.method === 'PUT');
  const reads = outcomes.filter((o) => o.request.method === 'GET');
  const failed = outcomes.filter((o) => o.status === undefined || (o.status >= 300 && o.status !== 404));
  const userOfPath = (o: Outcome) => o.request.path.slice('/hello/'.length);
  const writesOf = new Map<string, Outcome[]>();
  for (const w of writes) writesOf.set(userOfPath(w), [...(writesOf.get(userOfPath(w)) ?? []), w]);

  const unexplained = reads.filter((r) => {
    const user = userOfPath(r);
    const answeredAt = r.sentAt + r.ms;
    const sentBefore = (writesOf.get(user) ?? []).filter((w) => w.sentAt < answeredAt);
    if (r.status === 404) {
      // "Unknown" is right only while no write of this user had been answered before the read was sent.
      return sentBefore.some((w) => w.status === 204 && w.sentAt + w.ms < r.sentAt);
    }
    const { message } = JSON.parse(r.body!) as { message: string };
    return !sentBefore.some(
      (w) =>
        messageFor(user, (JSON.parse(w.request.body as string) as { dateOfBirth: string }).dateOfBirth) === message,
    );
  });

  // Once writes stop, both instances answer what the database holds, within a second.
  await sleep(1_000);
  const rows = await query<{ username: string; d: string }>(
    a.db.url,
    `SELECT username, to_char(date_of_birth, 'YYYY-MM-DD') AS d FROM users`,
  );
  const disagreements: string[] = [];
  const agent = new http.Agent({ keepAlive: true });
  for (const { username, d } of rows) {
    const display = SHARED.find((s) => s.toLowerCase() === username) ?? `Own${username.slice(3)}`;
    for (const s of [a, b]) {
      const o = await send(agent, s.port, { method: 'GET', path: `/hello/${display}` });
      const { message } = JSON.parse(o.body!) as { message: string };
      if (message !== messageFor(display, d)) disagreements.push(`${display} on :${s.port}: ${message}, stored ${d}`);
    }
  }
  agent.destroy();

  recordFigures('concurrent clients', `${CLIENTS} clients, 2 instances, ${DURATION_MS / 1000} s`, {
    requests: outcomes.length,
    writes: writes.length,
    reads: reads.length,
    'shared-user writes': writes.filter((w) => SHARED.includes(userOfPath(w))).length,
    failed: failed.length,
    'reads of no written value': unexplained.length,
    'instances disagreeing after 1 s': disagreements.length,
    'slowest ms': ms(Math.max(...outcomes.map((o) => o.ms))),
  });

  expect(failed.map((o) => `${o.request.method} ${o.request.path}: ${o.status ?? o.error}`)).toEqual([]);
  expect(unexplained.map((r) => `${r.request.path}: ${r.status} ${r.body}`)).toEqual([]);
  expect(disagreements).toEqual([]);
  expect(rows.length).toBe(SHARED.length + CLIENTS);
  expect(writes.length).toBeGreaterThan(1_000);
});
