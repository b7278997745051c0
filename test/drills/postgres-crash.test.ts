// Drill: PostgreSQL is killed (kill -9, no shutdown) while the service takes writes. Every PUT answered 204 must be in
// the database once it restarts: a 204 leaves only after the batch holding the write has committed. Runs on a
// throwaway cluster of its own, never on the shared server.
import pino from 'pino';
import { applyMigrations } from '../../service/migrate';
import { runService, type ServiceProcess } from '../process/service-process';
import { query } from '../support/database';
import { needs } from '../support/needs';
import { type OwnPostgres, startOwnPostgres } from '../support/own-postgres';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';
import { recordFigures } from './figures';
import { sleep, startLoad } from './load';

needs('postgresql-server');
jest.setTimeout(120_000);

const CLIENTS = 32;

let postgres: OwnPostgres;
let service: ServiceProcess;
let port: number;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  await applyMigrations(postgres.url, { logger: pino({ level: 'silent' }) });
  port = await freePort();
  service = runService(['serve'], { DATABASE_URL: postgres.url, PORT: String(port), LOG_LEVEL: 'warn' });
  await waitFor(
    'the service to listen',
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok,
    {
      timeoutMs: 30_000,
      everyMs: 100,
    },
  );
});
afterAll(async () => {
  service?.child.kill('SIGKILL');
  await service?.exited;
  await postgres?.remove();
});

/** A distinct letters-only username per request: `Crash` + the client's letter + the request number in base 26. */
function usernameFor(client: number, n: number): string {
  let suffix = '';
  for (let i = n; ; i = Math.floor(i / 26) - 1) {
    suffix = String.fromCharCode(97 + (i % 26)) + suffix;
    if (i < 26) break;
  }
  return `Crash${String.fromCharCode(97 + (client % 26))}${client < 26 ? '' : 'z'}x${suffix}`;
}

const dateFor = (n: number) => `19${String(50 + (n % 50)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`;

describe('PostgreSQL killed under write load', () => {
  it('keeps every write that was answered 204', async () => {
    const acknowledged = new Map<string, string>();
    const load = startLoad({
      port,
      clients: CLIENTS,
      hangLimitMs: 15_000,
      next: (client, n) => ({
        method: 'PUT',
        path: `/hello/${usernameFor(client, n)}`,
        body: JSON.stringify({ dateOfBirth: dateFor(n) }),
      }),
      onOutcome: (outcome) => {
        if (outcome.status !== 204) return;
        const username = outcome.request.path.slice('/hello/'.length);
        acknowledged.set(
          username.toLowerCase(),
          (JSON.parse(String(outcome.request.body)) as { dateOfBirth: string }).dateOfBirth,
        );
      },
    });
    try {
      await waitFor('writes under way', () => acknowledged.size >= 200, { timeoutMs: 30_000 });
      await postgres.crash();
      const atCrash = acknowledged.size;
      // Writes in flight at the crash, and those sent while it is down, fail: none of them may be answered 204.
      await sleep(1_000);
      expect(acknowledged.size - atCrash).toBeLessThanOrEqual(CLIENTS);
    } finally {
      await load.stop();
    }
    const refused = load.outcomes.filter((o) => o.status === 503).length;
    expect(refused).toBeGreaterThan(0);
    await postgres.start();
    const rows = await query<{ username: string; date: string }>(
      postgres.url,
      `SELECT username, to_char(date_of_birth, 'YYYY-MM-DD') AS date FROM users WHERE username = ANY($1)`,
      [[...acknowledged.keys()]],
    );
    const stored = new Map(rows.map((row) => [row.username, row.date]));
    const lost = [...acknowledged].filter(([key, date]) => stored.get(key) !== date);
    recordFigures('PostgreSQL crash', `kill -9 under ${CLIENTS} writing clients`, {
      acknowledged: acknowledged.size,
      refused503: refused,
      lost: lost.length,
    });
    expect(lost).toEqual([]);
  });
});
