// A database that cannot be reached: repository calls fail fast with DatabaseUnavailable, readiness says so, and the
// same open database recovers by itself once the server is back.
import pino from 'pino';
import { type Database, openDatabase } from '../../service/database';
import { DatabaseUnavailable } from '../../service/errors';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TcpProxy } from './tcp-proxy';
import { waitFor } from '../support/wait-for';

const logger = pino({ level: 'silent' });
const LIMIT_MS = 2_000;

/** Resolves with how long the call took to fail, asserting it failed with DatabaseUnavailable. */
async function failsUnavailable(call: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await expect(call()).rejects.toBeInstanceOf(DatabaseUnavailable);
  return Date.now() - started;
}

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase('unavailable');
  await applyMigrations(testDb.url, { logger });
});
afterAll(async () => {
  await testDb.drop();
});

describe('an unreachable database', () => {
  it('a closed port: reads and writes fail with DatabaseUnavailable within 2 s, readiness is false', async () => {
    const db = await openDatabase({
      databaseUrl: 'postgresql://postgres:postgres@127.0.0.1:1/none',
      dataDir: '/nonexistent',
      logger,
    });
    try {
      expect(await failsUnavailable(() => db.users.findDateOfBirth('ann'))).toBeLessThan(LIMIT_MS);
      expect(await failsUnavailable(() => db.users.saveDateOfBirth('ann', '2000-01-01'))).toBeLessThan(LIMIT_MS);
      expect(await db.readiness()).toEqual({
        ready: false,
        reason: expect.stringMatching(/unreachable.*ECONNREFUSED/),
      });
    } finally {
      await db.close();
    }
  });

  it('a server that accepts but never answers: DatabaseUnavailable within 2 s', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5432 }, 'black-hole');
    await proxy.start();
    const db = await openDatabase({ databaseUrl: proxy.urlFor(testDb.url), dataDir: '/nonexistent', logger });
    try {
      expect(await failsUnavailable(() => db.users.findDateOfBirth('ann'))).toBeLessThan(LIMIT_MS);
      expect(await failsUnavailable(() => db.users.saveDateOfBirth('ann', '2000-01-01'))).toBeLessThan(LIMIT_MS);
      expect((await db.readiness()).ready).toBe(false);
    } finally {
      await db.close();
      await proxy.stop();
    }
  });

  it('recovers without a restart when the server comes back', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: 5432 });
    await proxy.start();
    const db: Database = await openDatabase({ databaseUrl: proxy.urlFor(testDb.url), dataDir: '/nonexistent', logger });
    try {
      await db.users.saveDateOfBirth('back', '1999-09-09');
      expect(await db.users.findDateOfBirth('back')).toBe('1999-09-09');
      expect(await db.readiness()).toEqual({ ready: true });

      await proxy.stop(); // every pooled connection and the LISTEN connection are cut
      // A user never read, so the answer cannot come from the cache in the instant before it notices the cut.
      expect(await failsUnavailable(() => db.users.findDateOfBirth('other'))).toBeLessThan(LIMIT_MS);
      expect(await failsUnavailable(() => db.users.saveDateOfBirth('back', '2000-01-01'))).toBeLessThan(LIMIT_MS);
      expect((await db.readiness()).ready).toBe(false);

      await proxy.start();
      await waitFor('readiness after the server returned', async () => (await db.readiness()).ready);
      await db.users.saveDateOfBirth('back', '2002-02-02');
      expect(await db.users.findDateOfBirth('back')).toBe('2002-02-02');
    } finally {
      await db.close();
      await proxy.stop();
    }
  });
});
