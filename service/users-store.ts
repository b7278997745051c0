// The users repository over PostgreSQL: concurrent writes coalesce into one Prisma statement per batch, the one hot
// read goes straight to the adapter's own pg pool, and connection failures become DatabaseUnavailable.
import type { Pool } from 'pg';
import { Prisma, type PrismaClient } from '../prisma/generated/client';
import { isDatabaseUnavailable } from './database-failures';
import { DatabaseUnavailable, ValidationError } from './errors';
import type { IsoDate, UsersRepository } from './users';
import { IsoDateSchema, USERNAME_PATTERN } from './validation';
import { type BatchRow, WriteBatches } from './write-batches';

/** Formats in SQL, so the read never goes through a JavaScript Date and its time zone. */
export const FIND_DATE_OF_BIRTH_SQL = `SELECT to_char("date_of_birth", 'YYYY-MM-DD') FROM "users" WHERE "username" = $1`;
const FIND_STATEMENT_NAME = 'hello_find_date_of_birth';

/**
 * Rows per write statement. Each batch's change notification carries its keys as a JSON array (the
 * `users_notify_changed_keys` trigger); 100 keys of at most 64 letters fit PostgreSQL's 8,000-byte payload
 * (100 × (64 + 4) + 2 bytes), so the service's own batches never fall back to "everything changed".
 */
const MAX_BATCH_ROWS = 100;

/** Write batches committing at once (bench/RESULTS.md). */
const BATCHES_IN_FLIGHT = 1;

/**
 * The write: one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE for the whole batch, so it commits or fails
 * as one, and concurrent batches of other instances never fail with a unique violation. The keys are distinct
 * (WriteBatches keeps one row per key), as ON CONFLICT DO UPDATE requires. `updated_at` is the database's clock, as
 * the column's default is. Dates travel as text and are cast in SQL, never through a JavaScript Date and its time
 * zone. One text for any batch size, so it is parsed and planned once per connection.
 */
export function saveBatchStatement(rows: readonly BatchRow[]): Prisma.Sql {
  const keys = rows.map((row) => row.key);
  const dates = rows.map((row) => row.dateOfBirth);
  return Prisma.sql`INSERT INTO "users" ("username", "date_of_birth", "updated_at")
SELECT "key", "date"::date, CURRENT_TIMESTAMP FROM unnest(${keys}::text[], ${dates}::text[]) AS "rows" ("key", "date")
ON CONFLICT ("username") DO UPDATE SET "date_of_birth" = EXCLUDED."date_of_birth", "updated_at" = EXCLUDED."updated_at"`;
}

function unavailableOr(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? new DatabaseUnavailable(error) : error;
}

export class PostgresUsersRepository implements UsersRepository {
  private readonly batches: WriteBatches;

  /**
   * @param preparedReads the hot read as a named statement, parsed and planned once per connection (the fastest;
   *   bench/RESULTS.md), or re-parsed each time for the embedded database, whose connections share one session.
   * @param batchesInFlight write batches committing at once.
   */
  constructor(
    prisma: PrismaClient,
    private readonly pool: Pool,
    private readonly preparedReads: boolean,
    batchesInFlight = BATCHES_IN_FLIGHT,
  ) {
    this.batches = new WriteBatches(
      async (rows) => {
        await prisma.$executeRaw(saveBatchStatement(rows));
      },
      MAX_BATCH_ROWS,
      batchesInFlight,
      // While the database is unreachable, a write queued behind a failed batch fails with it: its request gets its
      // 503 within one database timeout, as an unbatched write would, instead of waiting out a second one.
      isDatabaseUnavailable,
    );
  }

  async findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    try {
      const result = await this.pool.query<[string]>({
        ...(this.preparedReads ? { name: FIND_STATEMENT_NAME } : {}),
        text: FIND_DATE_OF_BIRTH_SQL,
        values: [key],
        rowMode: 'array',
      });
      return result.rows[0]?.[0];
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async saveDateOfBirth(key: string, dateOfBirth: IsoDate): Promise<void> {
    // A row the database would refuse must never reach a batch, where it would fail every write beside it.
    rejectUnstorable(key, dateOfBirth);
    try {
      await this.batches.write(key, dateOfBirth);
    } catch (error) {
      throw unavailableOr(error);
    }
  }
}

/** The column's rules, as the API validated them: a lower-cased username key and a real calendar date. */
function rejectUnstorable(key: string, dateOfBirth: IsoDate): void {
  const errors = [];
  if (!USERNAME_PATTERN.test(key) || key !== key.toLowerCase())
    errors.push({ field: 'key', message: 'must be a username lower-cased' });
  const date = IsoDateSchema.safeParse(dateOfBirth);
  if (!date.success) errors.push({ field: 'dateOfBirth', message: date.error.issues[0]!.message });
  if (errors.length > 0) throw new ValidationError(errors);
}
