// Fresh PostgreSQL databases for tests: each call creates a uniquely named database on the local server and
// returns its URL and a drop function. The server is the real one CI starts (scripts/postgres-up.sh); a test file
// that imports this module needs it, and is held back when the run finds it unreachable.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { needs } from './needs';

needs('postgresql');

/** The maintenance connection used to create and drop test databases. */
export const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Runs `work` on a connection of its own to `url`, closed whatever happens. */
export async function withConnection<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One statement on a connection of its own: its rows. */
export async function query<R extends object = Record<string, unknown>>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<R[]> {
  return withConnection(url, async (client) => (await client.query<R>(text, values)).rows);
}

const admin = <T>(work: (client: Client) => Promise<T>): Promise<T> => withConnection(ADMIN_URL, work);

/** Creates an empty database named `hello_test_<label>_<random>`. */
export async function createTestDatabase(label = 'run'): Promise<TestDatabase> {
  const name = `hello_test_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
