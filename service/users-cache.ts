// A read-through cache of dates of birth in front of the store: bounded (LRU), emptied entry by entry as the
// database announces changes, and bypassed whenever those announcements might be missed.
import { LruMap } from './lru-map';
import type { UserChanges } from './user-changes';
import type { IsoDate, UsersRepository } from './users';

/** A database read in progress. `stale` once a change to its key was announced after it began. */
interface Flight {
  readonly result: Promise<IsoDate | undefined>;
  stale: boolean;
}

export class CachedUsersRepository implements UsersRepository {
  /** `null` remembers "no such user", so repeated GETs of an unknown name stay off the database too. */
  private readonly entries: LruMap<string, IsoDate | null>;
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly store: UsersRepository,
    private readonly changes: UserChanges,
    maxEntries: number,
  ) {
    this.entries = new LruMap(maxEntries);
    changes.subscribe((key) => this.invalidate(key));
  }

  findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    if (!this.changes.live) return this.store.findDateOfBirth(key);
    const cached = this.entries.get(key);
    if (cached !== undefined) return Promise.resolve(cached ?? undefined);
    // Concurrent misses for one key share one database read, unless a change arrived after that read began.
    const current = this.flights.get(key);
    if (current && !current.stale) return current.result;
    const flight: Flight = {
      stale: false,
      result: this.store.findDateOfBirth(key).then(
        (value) => {
          // A read that raced a change may have seen the old row: it answers its own callers but is not kept.
          if (!flight.stale && this.changes.live) this.entries.set(key, value ?? null);
          this.land(key, flight);
          return value;
        },
        (error: unknown) => {
          this.land(key, flight);
          throw error;
        },
      ),
    };
    this.flights.set(key, flight);
    return flight.result;
  }

  async saveDateOfBirth(key: string, dateOfBirth: IsoDate): Promise<void> {
    try {
      await this.store.saveDateOfBirth(key, dateOfBirth);
    } finally {
      // Whatever the outcome (a timeout may still have committed), this instance's next read goes to the database;
      // the trigger's notification will say the same a moment later, for every instance.
      this.invalidate(key);
    }
  }

  private land(key: string, flight: Flight): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }

  private invalidate(key: string | undefined): void {
    if (key === undefined) {
      this.entries.clear();
      for (const flight of this.flights.values()) flight.stale = true;
      return;
    }
    this.entries.delete(key);
    const flight = this.flights.get(key);
    if (flight) flight.stale = true;
  }
}
