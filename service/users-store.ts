// The users repository over PostgreSQL: Prisma writes (one upsert), the one hot read goes straight to the adapter's
// own pg pool as a prepared statement, and connection failures become DatabaseUnavailable.
import type { Pool } from 'pg';
import type { PrismaClient } from '../prisma/generated/client';
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
const FIND_DATE_OF_BIRTH = `SELECT to_char("date_of_birth", 'YYYY-MM-DD') FROM "users" WHERE "username" = $1`;
const FIND_STATEMENT_NAME = 'hello_find_date_of_birth';

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
  ) {}

  async findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    try {
      if (this.hotRead === 'prisma') {
        const user = await this.prisma.user.findUnique({ where: { username: key }, select: { dateOfBirth: true } });
        return user?.dateOfBirth.toISOString().slice(0, 10);
      }
      const result = await this.pool.query<[string]>({
        ...(this.hotRead === 'prepared' ? { name: FIND_STATEMENT_NAME } : {}),
        text: FIND_DATE_OF_BIRTH,
        values: [key],
        rowMode: 'array',
      });
      return result.rows[0]?.[0];
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async saveDateOfBirth(key: string, dateOfBirth: IsoDate): Promise<void> {
    const value = toDateColumn(dateOfBirth);
    try {
      // One INSERT ... ON CONFLICT DO UPDATE (Prisma's native upsert: a unique `where` equal to `create`'s key), so
      // concurrent PUTs for one user never fail with a unique violation.
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
