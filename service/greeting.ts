// The Hello API's two use cases: remember a user's date of birth, and greet a user by their next birthday.
import { type CalendarDate, daysUntilBirthday } from './birthday';
import { UserNotFound } from './errors';
import type { UsersRepository } from './users';
import { parseCalendarDate, parseSaveBirthday, parseUsername } from './validation';

export interface GreetingDeps {
  readonly users: UsersRepository;
  /** Today's date in the service's time zone. */
  readonly today: () => CalendarDate;
}

/** The greeting for a stored user. Throws ValidationError, UserNotFound or DatabaseUnavailable. */
export async function greet({ users, today }: GreetingDeps, rawUsername: string): Promise<string> {
  const user = parseUsername(rawUsername);
  const dateOfBirth = await users.findDateOfBirth(user.key);
  if (dateOfBirth === undefined) throw new UserNotFound(user.display);
  return greetingFor(user.display, daysUntilBirthday(parseCalendarDate(dateOfBirth), today()));
}

/** Creates or replaces a user's date of birth. Throws ValidationError (nothing stored) or DatabaseUnavailable. */
export async function rememberBirthday(
  { users, today }: GreetingDeps,
  rawUsername: string,
  body: unknown,
): Promise<void> {
  const { user, dateOfBirth } = parseSaveBirthday(rawUsername, body, today());
  await users.saveDateOfBirth(user.key, dateOfBirth);
}

export function greetingFor(username: string, days: number): string {
  return days === 0 ? `Hello, ${username}! Happy birthday!` : `Hello, ${username}! Your birthday is in ${days} day(s)`;
}
