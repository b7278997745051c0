// The migrations in prisma/migrations and what a database's `_prisma_migrations` table says about them: loading,
// Prisma-compatible checksums, and the pure comparison that decides what is pending and what is wrong.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One migration folder: `<timestamp>_<name>/migration.sql`, in Prisma Migrate's format. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file, lower-case hex: what Prisma Migrate records in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

/** One row of `_prisma_migrations`, the columns the comparison needs. */
export interface AppliedMigration {
  readonly migrationName: string;
  readonly checksum: string;
  readonly finishedAt: Date | null;
  readonly rolledBackAt: Date | null;
  readonly startedAt: Date;
  readonly logs: string | null;
}

/** What the comparison finds. `problems` block migrating; `pending` are applied in order when there are none. */
export interface MigrationPlan {
  readonly pending: readonly Migration[];
  readonly problems: readonly string[];
  /** Recorded as applied but absent from prisma/migrations (a newer release's, or deleted): reported, not fatal. */
  readonly unknown: readonly string[];
}

/**
 * Prisma's own table, created exactly as its schema engine creates it, so `prisma migrate status` and
 * `prisma migrate deploy` elsewhere read and extend the same history.
 */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock key Prisma Migrate takes, so our runs and a Prisma CLI run exclude each other too. */
export const MIGRATION_LOCK_KEY = 72707369;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** As Prisma: a checkout that only changed line endings (git on Windows) still matches its recorded checksum. */
export function matchesChecksum(sql: string, recorded: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => checksumOf(variant) === recorded);
}

/**
 * Where prisma/migrations is: beside service/ in the repository and in the image, two levels up when running
 * from a compiled dist/service/.
 */
export function defaultMigrationsDir(): string {
  const candidates = [
    path.resolve(__dirname, '..', 'prisma', 'migrations'),
    path.resolve(__dirname, '..', '..', 'prisma', 'migrations'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** Every migration folder in name order (Prisma's order: the timestamp prefix sorts them). */
export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

/**
 * Compares the local migrations with the recorded history, as `prisma migrate deploy` does: a failed attempt that
 * was not marked rolled back blocks everything; an applied migration whose file changed is an error; the rest of
 * the local migrations, in order, are pending.
 */
export function planMigrations(local: readonly Migration[], applied: readonly AppliedMigration[]): MigrationPlan {
  const problems: string[] = [];
  const live = applied.filter((row) => row.rolledBackAt === null);
  for (const row of live.filter((r) => r.finishedAt === null)) {
    problems.push(
      `migration ${row.migrationName} failed (started ${row.startedAt.toISOString()}): ${firstLine(row.logs)}. ` +
        `Its transaction was rolled back, so the schema is as before it; fix the migration, then mark the attempt ` +
        `rolled back (\`migrate --mark-rolled-back ${row.migrationName}\` or \`prisma migrate resolve --rolled-back\`).`,
    );
  }
  const finished = new Map<string, AppliedMigration>();
  for (const row of live) if (row.finishedAt !== null) finished.set(row.migrationName, row);
  const pending: Migration[] = [];
  for (const migration of local) {
    const row = finished.get(migration.name);
    if (row === undefined) pending.push(migration);
    else if (!matchesChecksum(migration.sql, row.checksum)) {
      problems.push(
        `migration ${migration.name} was edited after it was applied (recorded checksum ${row.checksum}, ` +
          `file ${migration.checksum}); restore the applied file and put the change in a new migration.`,
      );
    }
  }
  const localNames = new Set(local.map((m) => m.name));
  const unknown = [...finished.keys()].filter((name) => !localNames.has(name));
  return { pending, problems, unknown };
}

function firstLine(text: string | null): string {
  return (text ?? 'no log recorded').split('\n')[0]!.trim();
}
