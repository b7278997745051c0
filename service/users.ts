// The users repository's interface: the only way the HTTP layer reaches stored dates of birth.
// Implementations (Prisma/pg, cached) live beside it; routes and use cases depend on this interface alone.

/** A calendar date as written in the API, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface UsersRepository {
  /**
   * The date of birth stored for a username, or undefined. `key` is the lower-cased username (identity is
   * case-insensitive). Throws DatabaseUnavailable when the database cannot be reached.
   */
  findDateOfBirth(key: string): Promise<IsoDate | undefined>;
  /** Creates or replaces a user's date of birth in one upsert. Throws DatabaseUnavailable like the read. */
  saveDateOfBirth(key: string, dateOfBirth: IsoDate): Promise<void>;
}

/** Readiness of the data layer: reachable, and every migration in prisma/migrations applied. */
export type DataReadiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };
