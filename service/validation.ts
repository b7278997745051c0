// Input rules of the Hello API as zod schemas: the single source for request validation and the OpenAPI document.
import { z } from 'zod';
import { type CalendarDate, daysInMonth, formatIsoDate } from './birthday';
import { type FieldError, ValidationError } from './errors';
import type { IsoDate } from './users';

/** 1 to 64 ASCII letters. Checked on the raw path segment, so percent-encoded letters do not pass. */
export const USERNAME_PATTERN = /^[A-Za-z]{1,64}$/;
/** The username rule as every answer that refuses a username states it. */
export const INVALID_USERNAME: FieldError = {
  field: 'path.username',
  message: 'must be 1 to 64 ASCII letters (A-Z, a-z)',
};
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export const UsernameSchema = z.string().regex(USERNAME_PATTERN, INVALID_USERNAME.message).meta({
  id: 'Username',
  description: 'ASCII letters only. Case-insensitive identity; greetings echo it as written.',
  example: 'Alice',
});

/** A real calendar date written exactly `YYYY-MM-DD`, year 0001 or later. */
export const IsoDateSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string in YYYY-MM-DD form') })
  .regex(ISO_DATE_PATTERN, { message: 'must be a date in YYYY-MM-DD form', abort: true })
  .refine(isRealDate, 'must be a real calendar date')
  .meta({ description: 'A calendar date, `YYYY-MM-DD`, strictly before today.', example: '1990-06-15' });

/** The PUT body. Unknown keys are rejected: a misspelt field should fail loudly, not be silently ignored. */
export const SaveBirthdayBodySchema = z
  .strictObject(
    { dateOfBirth: IsoDateSchema },
    {
      error: (issue) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined),
    },
  )
  .meta({ id: 'SaveBirthday', example: { dateOfBirth: '1990-06-15' } });

export const GreetingSchema = z
  .strictObject({ message: z.string() })
  .meta({ id: 'Greeting', example: { message: 'Hello, Alice! Your birthday is in 5 day(s)' } });

export function parseCalendarDate(value: IsoDate): CalendarDate {
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)) };
}

function isRealDate(value: string): boolean {
  const { year, month, day } = parseCalendarDate(value);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A username as written in the path, and the identity it stands for. */
export interface UserName {
  /** As written: the greeting echoes it. */
  readonly display: string;
  /** Lower-cased: how the repository stores and finds the user. */
  readonly key: string;
}

export interface SaveBirthdayRequest {
  readonly user: UserName;
  readonly dateOfBirth: IsoDate;
}

/** Parses the raw (still percent-encoded) path segment. Throws ValidationError. */
export function parseUsername(rawSegment: string): UserName {
  const errors: FieldError[] = [];
  const user = checkUsername(rawSegment, errors);
  if (!user) throw new ValidationError(errors);
  return user;
}

/** Parses a PUT: the username and the body together, so one answer names every bad field. Throws ValidationError. */
export function parseSaveBirthday(rawSegment: string, body: unknown, today: CalendarDate): SaveBirthdayRequest {
  const errors: FieldError[] = [];
  const user = checkUsername(rawSegment, errors);
  const parsed = SaveBirthdayBodySchema.safeParse(body);
  if (!parsed.success) {
    errors.push(...bodyErrors(parsed.error));
  } else if (parsed.data.dateOfBirth >= formatIsoDate(today)) {
    // Zero-padded YYYY-MM-DD strings order like the dates they name.
    errors.push({ field: 'body.dateOfBirth', message: 'must be before today' });
  }
  if (!user || !parsed.success || errors.length > 0) throw new ValidationError(errors);
  return { user, dateOfBirth: parsed.data.dateOfBirth };
}

function checkUsername(rawSegment: string, errors: FieldError[]): UserName | undefined {
  if (!USERNAME_PATTERN.test(rawSegment)) {
    errors.push(INVALID_USERNAME);
    return undefined;
  }
  return { display: rawSegment, key: rawSegment.toLowerCase() };
}

/** One error per bad field (the first zod reports), each unknown key named on its own. */
function bodyErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) byField.set(`body.${key}`, 'is not a known field');
      continue;
    }
    const field = ['body', ...issue.path.map(String)].join('.');
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
