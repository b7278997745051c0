// The users repository against a real PostgreSQL: round trips, replacing, and concurrent writes, which coalesce into
// batches: the last write to a user wins, a write the database would refuse fails alone, and a failed batch stores
// none of its rows and fails each of its writes as the database being unavailable.
import { Client } from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../../service/database';
import { DatabaseUnavailable, ValidationError } from '../../service/errors';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, query, type TestDatabase } from '../support/database';

const logger = pino({ level: 'silent' });
let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase('repository');
  await applyMigrations(testDb.url, { logger });
  db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', logger, cacheEntries: 0 });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

/** `count` distinct valid dates, in order. */
function dates(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `19${String(50 + (i % 50)).padStart(2, '0')}-03-${String(1 + (i % 28)).padStart(2, '0')}`,
  );
}

describe('the users repository', () => {
  it('is a PostgreSQL database that is ready', async () => {
    expect(db.kind).toBe('postgresql');
    expect(await db.readiness()).toEqual({ ready: true });
  });

  it.each(['2000-01-01', '1999-12-31', '2000-02-29', '1900-03-01', '0001-01-01', '2024-07-15'])(
    'returns %s exactly as saved',
    async (date) => {
      await db.users.saveDateOfBirth('roundtrip', date);
      expect(await db.users.findDateOfBirth('roundtrip')).toBe(date);
    },
  );

  it('returns undefined for a user never saved', async () => {
    expect(await db.users.findDateOfBirth('nobody')).toBeUndefined();
  });

  it('replaces the stored date and moves updated_at forward, keeping one row', async () => {
    await db.users.saveDateOfBirth('replaced', '1990-05-05');
    const before = await rowOf('replaced');
    await db.users.saveDateOfBirth('replaced', '1991-06-06');
    const after = await rowOf('replaced');
    expect(await db.users.findDateOfBirth('replaced')).toBe('1991-06-06');
    expect(after.count).toBe(1);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('concurrent writes to one user all succeed and leave the last one that arrived, as if run in order', async () => {
    const sent = dates(40);
    const results = await Promise.allSettled(sent.map((date) => db.users.saveDateOfBirth('contended', date)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await db.users.findDateOfBirth('contended')).toBe(sent.at(-1));
    expect((await rowOf('contended')).count).toBe(1);
  });

  it('stores every one of many concurrent writes to different users', async () => {
    const keys = Array.from(
      { length: 250 },
      (_, i) => `many${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    const sent = dates(keys.length);
    await Promise.all(keys.map((key, i) => db.users.saveDateOfBirth(key, sent[i]!)));
    const rows = await query<{ username: string; date: string }>(
      testDb.url,
      `SELECT username, to_char(date_of_birth, 'YYYY-MM-DD') AS date FROM users WHERE username LIKE 'many%'`,
    );
    expect(new Map(rows.map((r) => [r.username, r.date]))).toEqual(new Map(keys.map((key, i) => [key, sent[i]])));
  });

  it('refuses a row the database would refuse, alone: the writes beside it are stored', async () => {
    const writes = [
      db.users.saveDateOfBirth('besidea', '2001-01-01'),
      db.users.saveDateOfBirth('refused', '2001-02-30'),
      db.users.saveDateOfBirth('besideb', '2002-02-02'),
      db.users.saveDateOfBirth('NotLowerCased', '2003-03-03'),
    ];
    const results = await Promise.allSettled(writes);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    for (const result of [results[1], results[3]])
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect(await db.users.findDateOfBirth('besidea')).toBe('2001-01-01');
    expect(await db.users.findDateOfBirth('besideb')).toBe('2002-02-02');
    expect(await db.users.findDateOfBirth('refused')).toBeUndefined();
    expect(await db.users.findDateOfBirth('notlowercased')).toBeUndefined();
  });

  it('a batch the database cannot commit fails each of its writes as unavailable and stores none of them', async () => {
    const keys = ['lockeda', 'lockedb', 'lockedc', 'lockedd', 'lockede'];
    const blocker = new Client({ connectionString: testDb.url });
    await blocker.connect();
    try {
      // Writes block behind the lock until the service's statement timeout cancels them.
      await blocker.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const results = await Promise.allSettled(keys.map((key) => db.users.saveDateOfBirth(key, '2001-01-01')));
      await blocker.query('ROLLBACK');
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseUnavailable);
      }
    } finally {
      await blocker.end();
    }
    const stored = await query(testDb.url, 'SELECT username FROM users WHERE username = ANY($1)', [keys]);
    expect(stored).toEqual([]);
  });
});

async function rowOf(key: string): Promise<{ count: number; updatedAt: Date }> {
  const rows = await query<{ count: number; updated_at: Date }>(
    testDb.url,
    'SELECT count(*) OVER ()::int AS count, updated_at FROM users WHERE username = $1',
    [key],
  );
  return { count: rows.length, updatedAt: rows[0]!.updated_at };
}
