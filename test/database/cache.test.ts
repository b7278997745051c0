// The cache in front of a real PostgreSQL: a replica's own writes are visible at once, another process's within a
// second (LISTEN/NOTIFY), and a lost subscription comes back by itself.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { type Database, openDatabase } from '../../service/database';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, query, withConnection, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';

const logger = pino({ level: 'silent' });
const run = promisify(execFile);
let testDb: TestDatabase;
let db: Database;

async function sql(text: string, values: unknown[] = []): Promise<void> {
  await withConnection(testDb.url, (client) => client.query(text, values));
}

/** Writes a row with the notify trigger bypassed (replica role): a change the cache is never told about. */
function silently(key: string, date: string): Promise<void> {
  return sql(
    `BEGIN; SET LOCAL session_replication_role = replica;
     INSERT INTO users (username, date_of_birth) VALUES ('${key}', '${date}')
     ON CONFLICT (username) DO UPDATE SET date_of_birth = EXCLUDED.date_of_birth; COMMIT;`,
  );
}

/** The cache serves an entry only while subscribed; wait until the LISTEN connection is up. */
async function subscribed(): Promise<void> {
  await waitFor('the LISTEN connection', async () => {
    const rows = await query(
      testDb.url,
      `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hello-app-listen' AND query LIKE 'LISTEN%'`,
      [testDb.name],
    );
    return rows.length > 0;
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase('cache');
  await applyMigrations(testDb.url, { logger });
  db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', logger });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

describe('the cached users repository', () => {
  it('answers from memory once read: a change that sends no notification is not seen', async () => {
    // Both writes bypass the trigger, so no notification can empty the entry: the second read returning the first
    // value proves it came from memory.
    await silently('memo', '2001-01-01');
    expect(await db.users.findDateOfBirth('memo')).toBe('2001-01-01');
    await silently('memo', '2002-02-02');
    expect(await db.users.findDateOfBirth('memo')).toBe('2001-01-01');
  });

  it("sees this instance's own write at once", async () => {
    await db.users.saveDateOfBirth('own', '2001-01-01');
    expect(await db.users.findDateOfBirth('own')).toBe('2001-01-01');
    await db.users.saveDateOfBirth('own', '2003-03-03');
    expect(await db.users.findDateOfBirth('own')).toBe('2003-03-03');
  });

  it('remembers an unknown user and forgets that as soon as the user is created', async () => {
    expect(await db.users.findDateOfBirth('later')).toBeUndefined();
    await db.users.saveDateOfBirth('later', '2004-04-04');
    expect(await db.users.findDateOfBirth('later')).toBe('2004-04-04');
  });

  it('sees a write made by another process within one second', async () => {
    await silently('shared', '2001-01-01');
    expect(await db.users.findDateOfBirth('shared')).toBe('2001-01-01'); // now cached
    const fixture = path.join(__dirname, 'fixtures', 'save-date-of-birth.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, testDb.url, 'shared', '2005-05-05']);
    expect(stdout).toBe('saved\n');
    const savedAt = Date.now();
    await waitFor(
      'the other process’s write',
      async () => (await db.users.findDateOfBirth('shared')) === '2005-05-05',
      { timeoutMs: 1_000 },
    );
    expect(Date.now() - savedAt).toBeLessThan(1_000);
  });

  it('drops every entry on a TRUNCATE', async () => {
    await db.users.saveDateOfBirth('truncated', '2001-01-01');
    expect(await db.users.findDateOfBirth('truncated')).toBe('2001-01-01');
    await sql('TRUNCATE users');
    await waitFor('the truncate to be seen', async () => (await db.users.findDateOfBirth('truncated')) === undefined, {
      timeoutMs: 1_000,
    });
  });

  it('resubscribes by itself after its LISTEN connection is killed, and is coherent again', async () => {
    await sql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hello-app-listen'`,
      [testDb.name],
    );
    await subscribed();
    await db.users.saveDateOfBirth('after', '2001-01-01');
    expect(await db.users.findDateOfBirth('after')).toBe('2001-01-01');
    await sql(`UPDATE users SET date_of_birth = '2006-06-06' WHERE username = 'after'`);
    await waitFor(
      'the update after resubscribing',
      async () => (await db.users.findDateOfBirth('after')) === '2006-06-06',
      { timeoutMs: 1_000 },
    );
  });
});
