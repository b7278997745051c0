// The Hello API for HTTP tests: a fresh migrated PostgreSQL database through the real data layer, an app with an
// injected clock and its log lines captured, and the supertest agent to call it.
import { type Database, openDatabase } from '../../service/database';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { capturedLogger, createTestApp, type TestApp, type TestAppOptions } from './test-app';

export interface TestApi extends TestApp {
  readonly database: Database;
  close(): Promise<void>;
}

export interface TestApiOptions extends TestAppOptions {
  /** A database URL to use as is (no fresh database, no migrations): the unreachable-database tests. */
  readonly databaseUrl?: string;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const captured = capturedLogger();
  const { logger } = captured;
  let testDatabase: TestDatabase | undefined;
  let url = options.databaseUrl;
  if (!url) {
    testDatabase = await createTestDatabase('http');
    url = testDatabase.url;
    await applyMigrations(url, { logger });
  }
  const database = await openDatabase({ databaseUrl: url, logger });
  const api = createTestApp({ users: database.users, readiness: () => database.readiness(), ...captured }, options);
  return {
    ...api,
    database,
    close: async () => {
      await database.close();
      await testDatabase?.drop();
    },
  };
}

/** A URL on a local port nothing listens on: a database that is down. */
export const UNREACHABLE_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:1/hello';
