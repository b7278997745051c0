// The users repository over PostgreSQL: Prisma writes (one upsert statement), the one hot read goes straight to the
// adapter's own pg pool as a prepared statement, and connection failures become DatabaseUnavailable.
import type { Pool } from 'pg';
import { Prisma, type PrismaClient } from '../prisma/generated/client';
import { isDatabaseUnavailable } from './database-failures';
import { DatabaseUnavailable } from './errors';
import type { IsoDate, UsersRepository } from './users';

/**
 * How the hot read is made. `prepared`: a named statement on the pool, parsed and planned once per connection
 * (the fastest; bench/RESULTS.md). `unnamed`: the same SQL re-parsed each time, for the embedded database, whose
 * connections share one session. `prisma`: `findUnique`, kept for measuring.
 */
export type HotRead = 'prepared' | 'unnamed' | 'prisma';

/** Formats in SQL, so the read never goes through a JavaScript Date and its time zone. */
export const FIND_DATE_OF_BIRTH_SQL = `SELECT to_char("date_of_birth", 'YYYY-MM-DD') FROM "users" WHERE "username" = $1`;
const FIND_STATEMENT_NAME = 'hello_find_date_of_birth';

/**
 * How a date of birth is written, both through Prisma. `raw`: the upsert below as a `$executeRaw` tagged template
 * (the cheapest: Prisma's client-side query planning for `upsert` costs about twice the CPU of the whole pg round
 * trip; bench/RESULTS.md). `upsert`: Prisma's `user.upsert`, which sends the same kind of INSERT ... ON CONFLICT,
 * kept for measuring.
 */
export type WriteWith = 'raw' | 'upsert';

/**
 * The write: one INSERT ... ON CONFLICT DO UPDATE, so concurrent PUTs for one user never fail with a unique
 * violation. `updated_at` is the database's clock, as the column's default is. The date travels as its text and is
 * cast in SQL, so it never goes through a JavaScript Date and its time zone.
 */
export function saveStatement(key: string, dateOfBirth: IsoDate): Prisma.Sql {
  return Prisma.sql`INSERT INTO "users" ("username", "date_of_birth", "updated_at")
VALUES (${key}, ${dateOfBirth}::date, CURRENT_TIMESTAMP)
ON CONFLICT ("username") DO UPDATE SET "date_of_birth" = EXCLUDED."date_of_birth", "updated_at" = EXCLUDED."updated_at"`;
}

/** The write's SQL text with `$1` (username key) and `$2` (date), for the benchmark's ceiling to send the same. */
export const SAVE_DATE_OF_BIRTH_SQL = saveStatement('', '').text;

function unavailableOr(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? new DatabaseUnavailable(error) : error;
}

/** `2001-02-03` as Prisma's value for a `@db.Date` column: that day's UTC midnight. */
function toDateColumn(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export class PostgresUsersRepository implements UsersRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: Pool,
    private readonly hotRead: HotRead = 'prepared',
    private readonly writeWith: WriteWith = 'raw',
  ) {}

  async findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    try {
      if (this.hotRead === 'prisma') {
        const user = await this.prisma.user.findUnique({ where: { username: key }, select: { dateOfBirth: true } });
        return user?.dateOfBirth.toISOString().slice(0, 10);
      }
      const result = await this.pool.query<[string]>({
        ...(this.hotRead === 'prepared' ? { name: FIND_STATEMENT_NAME } : {}),
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
    try {
      if (this.writeWith === 'raw') {
        await this.prisma.$executeRaw(saveStatement(key, dateOfBirth));
        return;
      }
      const value = toDateColumn(dateOfBirth);
      // Prisma's native upsert (a unique `where` equal to `create`'s key) sends one INSERT ... ON CONFLICT too.
      await this.prisma.user.upsert({
        where: { username: key },
        create: { username: key, dateOfBirth: value },
        update: { dateOfBirth: value },
        select: { username: true },
      });
    } catch (error) {
      throw unavailableOr(error);
    }
  }
}
