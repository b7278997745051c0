// The birthday rule: pure calendar arithmetic on plain dates, and "today" in an IANA time zone from an injected clock.

/** A proleptic Gregorian calendar date. `month` is 1–12, `day` 1–31. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The source of the current instant; tests inject a fixed one. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Days since 1970-01-01 (negative before). Integer arithmetic (H. Hinnant's days_from_civil) rather than `Date`,
 * whose two-digit-year quirk and time-of-day make off-by-one errors easy.
 */
export function dayNumber({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The day a birthday falls on in `year`: 29 February is celebrated on 28 February when `year` is not a leap year. */
export function birthdayIn(year: number, birth: CalendarDate): CalendarDate {
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month: birth.month, day: birth.day };
}

/** Whole days from `today` to the next birthday: 0 on the birthday itself, 1 the day before. */
export function daysUntilBirthday(birth: CalendarDate, today: CalendarDate): number {
  const now = dayNumber(today);
  const thisYear = dayNumber(birthdayIn(today.year, birth));
  if (thisYear >= now) return thisYear - now;
  return dayNumber(birthdayIn(today.year + 1, birth)) - now;
}

/**
 * "Today" in an IANA time zone. The formatter is built once per zone (construction is the costly part) and the
 * answer is reused within one wall-clock second: dates only change on whole seconds, so the reuse is exact.
 */
export function todayInZone(timeZone: string, clock: Clock): () => CalendarDate {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  let cachedSecond = Number.NaN;
  let cached: CalendarDate = { year: 1970, month: 1, day: 1 };
  return () => {
    const instant = clock();
    const second = Math.floor(instant.getTime() / 1000);
    if (second !== cachedSecond) {
      cached = calendarDateOf(format, instant);
      cachedSecond = second;
    }
    return cached;
  };
}

function calendarDateOf(format: Intl.DateTimeFormat, instant: Date): CalendarDate {
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return { year, month, day };
}

/** `YYYY-MM-DD`, zero-padded, the form the API reads and writes. */
export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
