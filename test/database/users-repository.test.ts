// The users repository against a real PostgreSQL: round trips through every hot-read variant, replacing, and
// concurrent upserts of one user, through both Prisma write paths.
import { Client } from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../../service/database';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

const logger = pino({ level: 'silent' });
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase('repository');
  await applyMigrations(testDb.url, { logger });
});
afterAll(async () => {
  await testDb.drop();
});

describe.each([
  ['a prepared statement', 'prepared'],
  ['an unnamed statement', 'unnamed'],
  ['Prisma findUnique', 'prisma'],
] as const)('the users repository reading through %s', (_label, hotRead) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', logger, hotRead, cacheEntries: 0 });
  });
  afterAll(async () => {
    await db.close();
  });

  it('is a PostgreSQL database that is ready', async () => {
    expect(db.kind).toBe('postgresql');
    expect(await db.readiness()).toEqual({ ready: true });
  });

  it.each(['2000-01-01', '1999-12-31', '2000-02-29', '1900-03-01', '0001-01-01', '2024-07-15'])(
    'returns %s exactly as saved',
    async (date) => {
      const key = `${hotRead}roundtrip`;
      await db.users.saveDateOfBirth(key, date);
      expect(await db.users.findDateOfBirth(key)).toBe(date);
    },
  );

  it('returns undefined for a user never saved', async () => {
    expect(await db.users.findDateOfBirth(`${hotRead}nobody`)).toBeUndefined();
  });
});

describe.each([
  ['Prisma $executeRaw', 'raw'],
  ['Prisma upsert', 'upsert'],
] as const)('saving through %s', (_label, writeWith) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', logger, cacheEntries: 0, writeWith });
  });
  afterAll(async () => {
    await db.close();
  });

  it('replaces the stored date and moves updated_at forward, keeping one row', async () => {
    const key = `${writeWith}replaced`;
    await db.users.saveDateOfBirth(key, '1990-05-05');
    const before = await rowOf(key);
    await db.users.saveDateOfBirth(key, '1991-06-06');
    const after = await rowOf(key);
    expect(await db.users.findDateOfBirth(key)).toBe('1991-06-06');
    expect(after.count).toBe(1);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('concurrent upserts of one new user all succeed and leave one of their dates', async () => {
    const dates = Array.from({ length: 40 }, (_, i) => `19${String(50 + i).padStart(2, '0')}-03-04`);
    const key = `${writeWith}contended`;
    const results = await Promise.allSettled(dates.map((date) => db.users.saveDateOfBirth(key, date)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(dates).toContain(await db.users.findDateOfBirth(key));
    expect((await rowOf(key)).count).toBe(1);
  });
});

async function rowOf(key: string): Promise<{ count: number; updatedAt: Date }> {
  const client = new Client({ connectionString: testDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number; updated_at: Date }>(
      'SELECT count(*) OVER ()::int AS count, updated_at FROM users WHERE username = $1',
      [key],
    );
    return { count: rows.length, updatedAt: rows[0]!.updated_at };
  } finally {
    await client.end();
  }
}
