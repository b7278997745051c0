// A users repository kept in a Map, for tests of the routes and use cases that need no database: it keeps the
// repository's contract (one date per lower-cased key, replaced on save), nothing of PostgreSQL.
import type { IsoDate, UsersRepository } from '../../service/users';

export class InMemoryUsersRepository implements UsersRepository {
  private readonly dates = new Map<string, IsoDate>();

  findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    return Promise.resolve(this.dates.get(key));
  }

  saveDateOfBirth(key: string, dateOfBirth: IsoDate): Promise<void> {
    this.dates.set(key, dateOfBirth);
    return Promise.resolve();
  }
}
