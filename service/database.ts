// Opens the service's data layer: PostgreSQL from DATABASE_URL, or the embedded one; one bounded pg pool shared by
// Prisma (writes) and the hot read; the cached users repository; readiness; and an idempotent close.
import { setTimeout as delay } from 'node:timers/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { PrismaClient } from '../prisma/generated/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-database';
import { applyMigrations, statusOf } from './migrate';
import { loadMigrations, type Migration } from './migrations';
import type { DataReadiness, UsersRepository } from './users';
import { CachedUsersRepository } from './users-cache';
import { listenForUserChanges, localUserChanges, type UserChanges } from './user-changes';
import { type HotRead, PostgresUsersRepository, type WriteWith } from './users-store';

export interface Database {
  readonly kind: 'postgresql' | 'embedded';
  readonly users: UsersRepository;
  /** Reachable and every migration applied. Cheap enough for a probe every few seconds. */
  readiness(): Promise<DataReadiness>;
  /** Ends the pool, the LISTEN connection and the embedded database. Safe to call more than once. */
  close(): Promise<void>;
}

/** Where the data lives: PostgreSQL at `databaseUrl`, or else the embedded database under `<dataDir>/pglite`. */
export type DatabaseLocation =
  | { readonly databaseUrl: string; readonly dataDir?: string }
  | { readonly databaseUrl?: undefined; readonly dataDir: string };

export type OpenDatabaseOptions = DatabaseLocation & {
  readonly logger: Logger;
  /** @default 10 with PostgreSQL (the embedded database allows 1) */
  readonly poolSize?: number;
  /** @default 'prepared' with PostgreSQL, 'unnamed' on the embedded database */
  readonly hotRead?: HotRead;
  /** @default 'raw' */
  readonly writeWith?: WriteWith;
  /** Whether Prisma's statements (the upsert) are prepared once per connection. @default true, false on the embedded database */
  readonly preparePrismaStatements?: boolean;
  /** Entries in the in-process cache of dates of birth; 0 turns it off. @default 10_000 */
  readonly cacheEntries?: number;
  /** @default prisma/migrations */
  readonly migrations?: readonly Migration[];
};

/** How long a request may wait for a connection, and a query may run, before the caller gets DatabaseUnavailable. */
export const DATABASE_TIMEOUT_MS = 1_500;
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CACHE_ENTRIES = 10_000;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  const migrations = options.migrations ?? loadMigrations();
  let embedded: EmbeddedPostgres | undefined;
  if (options.databaseUrl === undefined) {
    embedded = await startEmbeddedPostgres(options.dataDir, logger);
    try {
      // Nobody else runs `migrate` for a developer's embedded database, so opening it brings it up to date.
      await applyMigrations(embedded.url, { logger, migrations });
    } catch (error) {
      await embedded.close();
      throw error;
    }
  }
  const url = options.databaseUrl ?? embedded!.url;
  const kind = embedded ? 'embedded' : 'postgresql';
  const pool = new Pool({
    connectionString: url,
    max: embedded ? embedded.poolSize : (options.poolSize ?? DEFAULT_POOL_SIZE),
    connectionTimeoutMillis: DATABASE_TIMEOUT_MS,
    query_timeout: DATABASE_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'hello-app',
    // The server cancels what the client stopped waiting for; PGlite has one session and no such setting to spare.
    ...(embedded ? {} : { statement_timeout: DATABASE_TIMEOUT_MS }),
  });
  // An idle connection that breaks (server restart) is dropped by the pool and replaced on the next checkout;
  // without a listener the error would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  // Prisma's own statements (the upsert) are prepared once per connection too, on a real server; PGlite's shared
  // session would see one connection's named statement collide with another's.
  const prisma = new PrismaClient({
    adapter: new PrismaPg(
      pool,
      !embedded && (options.preparePrismaStatements ?? true) ? { statementNameGenerator: statementNames() } : {},
    ),
    // Any other format makes Prisma capture a stack trace (`new Error()`) on every call, to point at the caller in
    // an error message; that cost every write about as much CPU as the whole HTTP body parsing (bench/RESULTS.md).
    // Its errors reach only our logs, which name the request instead.
    errorFormat: 'minimal',
  });
  const store = new PostgresUsersRepository(
    prisma,
    pool,
    options.hotRead ?? (embedded ? 'unnamed' : 'prepared'),
    options.writeWith ?? 'raw',
  );
  const cacheEntries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
  // The embedded database belongs to this process alone, so only its own writes can change it.
  const changes: UserChanges | undefined =
    cacheEntries <= 0 ? undefined : embedded ? localUserChanges() : listenForUserChanges(url, logger);
  // Start with a warm subscription when the database answers, so the cache works from the first request; a
  // database that is down does not hold up startup longer than a request would wait for it.
  await Promise.race([changes?.ready, delay(DATABASE_TIMEOUT_MS, undefined, { ref: false })]);
  const users = changes ? new CachedUsersRepository(store, changes, cacheEntries) : store;
  logger.info(
    { database: kind, ...(embedded ? { dataDir: embedded.dataDir } : { host: hostOf(url) }), cache: cacheEntries > 0 },
    embedded ? 'using the embedded database (PGlite)' : 'using PostgreSQL',
  );

  let migrated = false;
  let closing: Promise<void> | undefined;
  return {
    kind,
    users,
    async readiness() {
      if (closing) return { ready: false, reason: 'the database is closing' };
      try {
        if (migrated) {
          await pool.query('SELECT 1');
          return { ready: true };
        }
        const status = await statusOf(pool, migrations);
        if (!status.upToDate) return { ready: false, reason: status.reason };
        // Migrations are never un-applied under a running release, so one yes is enough; later probes only ask
        // whether the database still answers.
        migrated = true;
        return { ready: true };
      } catch (error) {
        return {
          ready: false,
          reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
    close() {
      closing ??= (async () => {
        await changes?.close();
        await prisma.$disconnect();
        await pool.end();
        await embedded?.close();
      })();
      return closing;
    },
  };
}

/**
 * Names Prisma's SQL texts so pg prepares each once per connection. The service sends a handful of distinct texts;
 * past the bound (a sign of something unexpected, such as raw queries with inlined values) statements go unnamed.
 */
function statementNames(bound = 100): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= bound) return '';
      name = `hello_prisma_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
}

/** The host and port only: the URL's credentials never reach the logs. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'unparseable DATABASE_URL';
  }
}
