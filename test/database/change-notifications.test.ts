// What the users table announces on a real PostgreSQL: one notification per statement with the keys it changed,
// "everything" when they do not fit a payload, nothing for a rollback, and a plain "everything" on the previous
// release's channel; and two instances writing the same users at once never deadlock.
import { Client, type Notification } from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../../service/database';
import { applyMigrations } from '../../service/migrate';
import { USER_CHANGES_CHANNEL } from '../../service/user-changes';
import { createTestDatabase, withConnection, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';

const logger = pino({ level: 'silent' });
/** The channel replicas of the release before per-statement notifications listen on. */
const PREVIOUS_CHANNEL = 'users_changed';
let testDb: TestDatabase;
let listener: Client;
let heard: Notification[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase('notifications');
  await applyMigrations(testDb.url, { logger });
  listener = new Client({ connectionString: testDb.url });
  await listener.connect();
  listener.on('notification', (n) => heard.push(n));
  await listener.query(`LISTEN "${USER_CHANGES_CHANNEL}"; LISTEN "${PREVIOUS_CHANNEL}"`);
});
afterAll(async () => {
  await listener.end();
  await testDb.drop();
});
beforeEach(() => {
  heard = [];
});

const sql = (text: string) => withConnection(testDb.url, (client) => client.query(text));
const on = (channel: string) => heard.filter((n) => n.channel === channel).map((n) => n.payload);
/** Every key named on the service's channel, sorted. */
const keysHeard = () =>
  on(USER_CHANGES_CHANNEL)
    .flatMap((payload) => JSON.parse(payload!) as string[])
    .sort();

/** Waits for `count` notifications on the service's channel, then a moment for any extra one to show up. */
async function heardOnService(count: number): Promise<void> {
  await waitFor(`${count} notification(s)`, () => on(USER_CHANGES_CHANNEL).length >= count);
  await sql('SELECT 1'); // a round trip: a notification sent with the last commit has reached us by now
}

describe('change notifications of the users table', () => {
  it('one statement changing several users notifies once, naming each of them', async () => {
    await sql(`INSERT INTO users (username, date_of_birth) VALUES ('anna', '2001-01-01'), ('ben', '2001-01-01')`);
    await heardOnService(1);
    expect(on(USER_CHANGES_CHANNEL)).toHaveLength(1);
    expect(keysHeard()).toEqual(['anna', 'ben']);
  });

  it('an update names the old and the new key of a renamed user', async () => {
    await sql(`INSERT INTO users (username, date_of_birth) VALUES ('before', '2001-01-01')`);
    await heardOnService(1);
    heard = [];
    await sql(`UPDATE users SET username = 'after' WHERE username = 'before'`);
    await heardOnService(1);
    expect(keysHeard()).toEqual(['after', 'before']);
  });

  it('a statement whose keys do not fit in one payload says everything may have changed', async () => {
    const names = Array.from(
      { length: 150 },
      (_, i) =>
        `'${'x'.repeat(60)}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}'`,
    );
    await sql(`INSERT INTO users (username, date_of_birth) SELECT unnest(ARRAY[${names.join(',')}]), '2001-01-01'`);
    await heardOnService(1);
    expect(on(USER_CHANGES_CHANNEL)).toEqual(['']);
  });

  it('a rolled-back write notifies nothing', async () => {
    await sql(`BEGIN; INSERT INTO users (username, date_of_birth) VALUES ('ghost', '2001-01-01'); ROLLBACK;`);
    await sql(`DELETE FROM users WHERE username = 'marker'`); // changes no row: announces nothing either
    await sql(`INSERT INTO users (username, date_of_birth) VALUES ('marker', '2001-01-01')`);
    await heardOnService(1);
    expect(keysHeard()).toEqual(['marker']);
  });

  it("the service's concurrent writes send far fewer notifications than writes, naming every key", async () => {
    const db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent', logger, cacheEntries: 0 });
    try {
      const keys = Array.from(
        { length: 60 },
        (_, i) => `batch${String.fromCharCode(97 + (i % 26))}${i < 26 ? '' : i < 52 ? 'b' : 'c'}`,
      );
      await Promise.all(keys.map((key) => db.users.saveDateOfBirth(key, '2001-01-01')));
      await waitFor('every key announced', () => keysHeard().length >= keys.length);
      expect(keysHeard()).toEqual([...keys].sort());
      expect(on(USER_CHANGES_CHANNEL).length).toBeLessThanOrEqual(keys.length / 4);
    } finally {
      await db.close();
    }
  });

  it('replicas of the previous release are told that everything may have changed, once per statement', async () => {
    await sql(`INSERT INTO users (username, date_of_birth) VALUES ('olda', '2001-01-01'), ('oldb', '2001-01-01')`);
    await waitFor('the previous channel', () => on(PREVIOUS_CHANNEL).length >= 1);
    expect(on(PREVIOUS_CHANNEL)).toEqual(['']);
  });
});

describe('two instances writing the same users at once', () => {
  let slowDb: TestDatabase;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    slowDb = await createTestDatabase('deadlock');
    await applyMigrations(slowDb.url, { logger });
    // Each row takes a few milliseconds, so two batches are sure to overlap while they take their row locks.
    await withConnection(slowDb.url, (client) =>
      client.query(`CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.003); RETURN NEW; END $$;
        CREATE TRIGGER slow_row BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION slow_row();`),
    );
    const options = { databaseUrl: slowDb.url, dataDir: '/nonexistent', logger, cacheEntries: 0 };
    [a, b] = await Promise.all([openDatabase(options), openDatabase(options)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await slowDb.drop();
  });

  it('never deadlock, whatever order each receives the writes in', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `shared${String.fromCharCode(97 + i)}`);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        keys.flatMap((key, i) => [
          a.users.saveDateOfBirth(key, '2001-01-01'),
          b.users.saveDateOfBirth(keys[keys.length - 1 - i]!, '2002-02-02'),
        ]),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
  });
});
