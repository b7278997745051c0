// The service's error family. Each names a domain failure; service/problem.ts maps them to HTTP in one place.

/** One invalid input field, as reported in a problem's `errors` list. */
export interface FieldError {
  /** Where the bad value was: `path.username`, `body.dateOfBirth`, `body`. */
  readonly field: string;
  readonly message: string;
}

export abstract class ServiceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request's input is invalid; nothing was stored. */
export class ValidationError extends ServiceError {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** No date of birth is stored for this username. */
export class UserNotFound extends ServiceError {
  constructor(readonly username: string) {
    super(`no user '${username}'`);
  }
}

/** The database cannot be reached (or answers too slowly); the client may retry later. */
export class DatabaseUnavailable extends ServiceError {
  constructor(cause?: unknown) {
    super('the database is unavailable', { cause });
  }
}
