// The `migrate` command: applies pending migrations under Prisma's advisory lock, each in its own transaction and
// recorded in `_prisma_migrations` as Prisma Migrate records it; `--check` answers "is everything applied?".
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { ENV } from '../contract/runtime';
import type { DatabaseLocation } from './database';
import { startEmbeddedPostgres } from './embedded-database';
import { parseMigrateArgs, MIGRATE_USAGE } from './migrate-args';
import {
  type AppliedMigration,
  loadMigrations,
  MIGRATION_LOCK_KEY,
  MIGRATIONS_TABLE_DDL,
  type Migration,
  planMigrations,
} from './migrations';

export interface MigrateOptions {
  readonly logger: Logger;
  /** @default prisma/migrations beside the service */
  readonly migrations?: readonly Migration[];
}

/** Migrating is refused: a failed attempt is recorded, or an applied migration's file changed. */
export class MigrationRefused extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'MigrationRefused';
  }
}

/** A migration's SQL failed; its transaction was rolled back and the attempt recorded as failed. */
export class MigrationFailed extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationFailed';
  }
}

export type MigrationStatus =
  | { readonly upToDate: true }
  | { readonly upToDate: false; readonly reason: string; readonly pending: readonly string[] };

const CONNECT_TIMEOUT_MS = 2_000;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A broken connection errors the pending query; without a listener it would also crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Anything that runs a query: a pg Client, or the service's Pool (readiness asks through it). */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

async function readHistory(client: Queryable): Promise<AppliedMigration[]> {
  const exists = await client.query<{ table: string | null }>(
    `SELECT to_regclass('"_prisma_migrations"')::text AS "table"`,
  );
  if (exists.rows[0]?.table == null) return [];
  const result = await client.query<AppliedMigration>(
    `SELECT migration_name AS "migrationName", checksum, finished_at AS "finishedAt",
            rolled_back_at AS "rolledBackAt", started_at AS "startedAt", logs
       FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return result.rows;
}

/** Compares a database's history with the migrations; never writes. */
export async function statusOf(
  client: Queryable,
  local: readonly Migration[] = loadMigrations(),
): Promise<MigrationStatus> {
  const plan = planMigrations(local, await readHistory(client));
  if (plan.problems.length > 0) {
    return { upToDate: false, reason: plan.problems.join(' '), pending: plan.pending.map((m) => m.name) };
  }
  if (plan.pending.length > 0) {
    const names = plan.pending.map((m) => m.name);
    return { upToDate: false, reason: `${names.length} migration(s) pending: ${names.join(', ')}`, pending: names };
  }
  return { upToDate: true };
}

/** Connects to `url` and compares its history with the migrations; never writes. */
export async function migrationStatus(
  url: string,
  options: Pick<MigrateOptions, 'migrations'> = {},
): Promise<MigrationStatus> {
  const client = await connect(url);
  try {
    return await statusOf(client, options.migrations ?? loadMigrations());
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Applies every pending migration in order and returns their names. Holds the advisory lock throughout, so a
 * concurrent run waits and then finds nothing to do. Throws MigrationRefused before applying anything when the
 * history has a problem, MigrationFailed when a migration's SQL fails (nothing of it remains).
 */
export async function applyMigrations(url: string, options: MigrateOptions): Promise<string[]> {
  const { logger } = options;
  const local = options.migrations ?? loadMigrations();
  const client = await connect(url);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(MIGRATIONS_TABLE_DDL);
      const plan = planMigrations(local, await readHistory(client));
      for (const name of plan.unknown)
        logger.warn({ migration: name }, 'applied migration not found in prisma/migrations');
      if (plan.problems.length > 0) throw new MigrationRefused(plan.problems);
      const applied: string[] = [];
      for (const migration of plan.pending) {
        await applyOne(client, migration, logger);
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function applyOne(client: Client, migration: Migration, logger: Logger): Promise<void> {
  const startedAt = new Date();
  try {
    await client.query('BEGIN');
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // Recorded as Prisma records a failed migration (finished_at NULL, the error in logs), so that this run, the
    // next one and `prisma migrate status` all refuse to go on until someone looks at it.
    await client
      .query(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, NULL, $3, $4, NULL, $5, 0)`,
        [randomUUID(), migration.checksum, migration.name, describe(error), startedAt],
      )
      .catch((recordError: unknown) =>
        logger.error({ err: recordError, migration: migration.name }, 'could not record the failed migration'),
      );
    throw new MigrationFailed(migration.name, error);
  }
  logger.info({ migration: migration.name, durationMs: Date.now() - startedAt.getTime() }, 'migration applied');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `Database error code: ${code}\n\n${error.message}` : error.message;
  }
  return String(error);
}

/** Marks a failed attempt as rolled back (as `prisma migrate resolve --rolled-back` does), so it is retried. */
export async function markRolledBack(url: string, migrationName: string): Promise<number> {
  const client = await connect(url);
  try {
    const result = await client.query(
      `UPDATE "_prisma_migrations" SET rolled_back_at = now()
        WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [migrationName],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True for failures worth waiting out under `--wait`: the database is not reachable (yet). */
function isConnectionFailure(error: unknown): boolean {
  return !(error instanceof MigrationRefused || error instanceof MigrationFailed);
}

/**
 * The `migrate` command (`args` are the words after `migrate`). Exit codes: 0 done / up to date, 1 refused,
 * failed, pending or unreachable, 2 bad usage; `--help` prints the usage and exits 0.
 */
export async function migrateCommand(
  args: string[],
  options: DatabaseLocation & { logger: Logger; migrationsDir?: string },
): Promise<number> {
  const { logger } = options;
  const migrations = loadMigrations(options.migrationsDir);
  const parsed = parseMigrateArgs(args, process.env[ENV.migrateWaitSeconds]);
  if (!parsed.ok) {
    logger.error({ args }, parsed.error);
    process.stderr.write(`${parsed.error}\n${MIGRATE_USAGE}\n`);
    return 2;
  }
  const command = parsed.command;
  if (command.mode === 'help') {
    process.stdout.write(`${MIGRATE_USAGE}\n`);
    return 0;
  }
  // Without DATABASE_URL the command works on the embedded database, as `serve` would.
  const embedded = options.databaseUrl === undefined ? await startEmbeddedPostgres(options.dataDir, logger) : undefined;
  const url = options.databaseUrl ?? embedded!.url;
  logger.info({ database: embedded ? 'embedded' : 'postgresql', mode: command.mode }, 'migrate');
  const deadline = Date.now() + command.waitSeconds * 1_000;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        switch (command.mode) {
          case 'check': {
            const status = await migrationStatus(url, { migrations });
            if (status.upToDate) {
              logger.info('every migration is applied');
              return 0;
            }
            if (Date.now() >= deadline) {
              logger.error({ pending: status.pending }, `migrations not applied: ${status.reason}`);
              return 1;
            }
            logger.info({ attempt, pending: status.pending }, `waiting: ${status.reason}`);
            break;
          }
          case 'apply': {
            const applied = await applyMigrations(url, { logger, migrations });
            logger.info({ applied: applied.length }, applied.length ? 'migrations applied' : 'no pending migrations');
            return 0;
          }
          case 'mark-rolled-back': {
            const marked = await markRolledBack(url, command.migration);
            if (marked === 0) {
              logger.error({ migration: command.migration }, 'no failed attempt of this migration is recorded');
              return 1;
            }
            logger.info({ migration: command.migration, marked }, 'failed attempt marked rolled back');
            return 0;
          }
        }
      } catch (error) {
        if (!isConnectionFailure(error) || Date.now() >= deadline) {
          logger.error({ err: error }, error instanceof Error ? error.message : 'migrate failed');
          return 1;
        }
        logger.info(
          { attempt, reason: error instanceof Error ? error.message : String(error) },
          'waiting for the database',
        );
      }
      await delay(Math.min(1_000, Math.max(0, deadline - Date.now())));
    }
  } finally {
    await embedded?.close();
  }
}
