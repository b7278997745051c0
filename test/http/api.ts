// The Hello API for HTTP tests: a fresh migrated PostgreSQL database through the real data layer, an app with an
// injected clock and its log lines captured, and the supertest agent to call it.
import { Writable } from 'node:stream';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../service/app';
import { type Database, openDatabase } from '../../service/database';
import { Lifecycle } from '../../service/health';
import { createLogger } from '../../service/logger';
import { createHttpMetrics, type HttpMetrics } from '../../service/metrics';
import { applyMigrations } from '../../service/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

export interface TestApi {
  readonly app: Express;
  readonly request: ReturnType<typeof supertest>;
  readonly database: Database;
  readonly metrics: HttpMetrics;
  readonly lifecycle: Lifecycle;
  /** Every JSON log line written so far. */
  readonly logs: string[];
  /** Moves the injected clock. */
  setNow(iso: string): void;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** @default '2024-06-15T12:00:00Z' */
  readonly now?: string;
  readonly timeZone?: string;
  /** A database URL to use as is (no fresh database, no migrations): the unreachable-database tests. */
  readonly databaseUrl?: string;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('info', sink);
  let testDatabase: TestDatabase | undefined;
  let url = options.databaseUrl;
  if (!url) {
    testDatabase = await createTestDatabase('http');
    url = testDatabase.url;
    await applyMigrations(url, { logger });
  }
  const database = await openDatabase({
    databaseUrl: url,
    logger,
  });
  let now = new Date(options.now ?? '2024-06-15T12:00:00Z');
  const metrics = createHttpMetrics({ release: 'test-release', processMetrics: false });
  const lifecycle = new Lifecycle();
  const app = createApp({
    users: database.users,
    readiness: () => database.readiness(),
    logger,
    metrics,
    lifecycle,
    clock: () => now,
    release: 'test-release',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  return {
    app,
    request: supertest(app),
    database,
    metrics,
    lifecycle,
    logs,
    setNow: (iso) => {
      now = new Date(iso);
    },
    close: async () => {
      await database.close();
      await testDatabase?.drop();
    },
  };
}

/** A URL on a local port nothing listens on: a database that is down. */
export const UNREACHABLE_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:1/hello';
