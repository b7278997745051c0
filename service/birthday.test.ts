import { isKnownTimeZone } from '../contract/time-zone';
import {
  birthdayIn,
  type CalendarDate,
  dayNumber,
  daysInMonth,
  daysUntilBirthday,
  formatIsoDate,
  isLeapYear,
  todayInZone,
} from './birthday';

const d = (iso: string): CalendarDate => {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

describe('the birthday rule', () => {
  test.each([
    // [date of birth, today, days until the next birthday]
    ['1990-06-15', '2024-06-15', 0],
    ['1990-06-15', '2024-06-14', 1],
    ['1990-06-15', '2024-06-16', 364], // after Feb 29 2024: the next one is in 2025, a common year
    ['1990-06-15', '2023-06-16', 365], // the gap spans Feb 29 2024: a full leap year less one day
    ['1990-03-01', '2023-03-02', 365],
    ['1990-01-01', '2024-12-31', 1], // across a year end
    ['1990-12-31', '2025-01-01', 364],
    ['1990-12-31', '2024-01-01', 365], // leap year: Jan 1 to Dec 31 is 365 days
    ['1990-01-01', '2024-01-01', 0],
    ['2000-02-29', '2024-02-29', 0], // leap year: celebrated on the day
    ['2000-02-29', '2024-02-28', 1],
    ['2000-02-29', '2023-02-28', 0], // common year: celebrated on Feb 28
    ['2000-02-29', '2023-02-27', 1],
    ['2000-02-29', '2023-03-01', 365], // next: Feb 29 2024
    ['2000-02-29', '2024-03-01', 364], // next: Feb 28 2025
    ['2000-02-29', '2099-03-01', 364], // 2100 is not a leap year: celebrated on Feb 28 2100
    ['2000-02-29', '2100-02-28', 0],
    ['2000-02-29', '2399-03-01', 365], // 2400 is a leap year: celebrated on Feb 29 2400
    ['2000-02-29', '2100-03-01', 364], // next: Feb 28 2101, a common year
    ['1999-02-28', '2024-02-28', 0], // a Feb 28 birthday stays on Feb 28 in a leap year
    ['1999-02-28', '2024-02-29', 365],
    ['1999-03-01', '2024-02-29', 1],
    ['2024-01-10', '2024-06-01', 223], // born earlier this year: the first birthday is next year
    ['2024-06-01', '2024-06-02', 364],
  ])('born %s, on %s the next birthday is in %i day(s)', (birth, today, days) => {
    expect(daysUntilBirthday(d(birth), d(today))).toBe(days);
  });

  // An independent oracle: walk the calendar with `Date` backwards, remembering the nearest celebration ahead.
  test('matches a day-by-day walk of the calendar for every birthday on every day of 2019–2030', () => {
    const start = Date.UTC(2019, 0, 1);
    const end = Date.UTC(2032, 0, 1); // walk past the range so every day in it has a celebration ahead
    const days: CalendarDate[] = [];
    for (let t = start; t < end; t += 86_400_000) {
      const date = new Date(t);
      days.push({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
    }
    const leap = (y: number) => new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1;
    const lastChecked = days.findIndex((x) => x.year === 2031);
    let checked = 0;
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= daysInMonth(2000, month); day++) {
        const birth = { year: 1980, month, day };
        const celebrates = (x: CalendarDate) =>
          (x.month === month && x.day === day) ||
          (month === 2 && day === 29 && x.month === 2 && x.day === 28 && !leap(x.year));
        let next = Number.NaN;
        for (let i = days.length - 1; i >= 0; i--) {
          if (celebrates(days[i]!)) next = i;
          if (i < lastChecked) {
            const expected = next - i;
            if (daysUntilBirthday(birth, days[i]!) !== expected) {
              throw new Error(`born ${formatIsoDate(birth)}, on ${formatIsoDate(days[i]!)}: expected ${expected}`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(366 * lastChecked);
  });

  test('the days until the next birthday are always between 0 and 365', () => {
    for (let y = 1999; y <= 2005; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let day = 1; day <= daysInMonth(y, m); day++) {
          const n = daysUntilBirthday({ year: 1970, month: 2, day: 29 }, { year: y, month: m, day });
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(365);
        }
      }
    }
  });
});

describe('calendar arithmetic', () => {
  test.each([
    [1900, false],
    [2000, true],
    [2023, false],
    [2024, true],
    [2100, false],
    [2400, true],
  ])('%i is a leap year: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  test('day numbers agree with Date.UTC from year 1 to 9999', () => {
    for (let year = 1; year <= 9999; year += 7) {
      for (const [month, day] of [
        [1, 1],
        [2, 28],
        [3, 1],
        [12, 31],
      ] as const) {
        const date = new Date(0);
        date.setUTCFullYear(year, month - 1, day);
        expect(dayNumber({ year, month, day })).toBe(Math.round(date.getTime() / 86_400_000));
      }
    }
  });

  test('a Feb 29 birthday is celebrated on Feb 28 in a non-leap year', () => {
    expect(birthdayIn(2023, d('2000-02-29'))).toEqual(d('2023-02-28'));
    expect(birthdayIn(2024, d('2000-02-29'))).toEqual(d('2024-02-29'));
  });

  test('dates format as zero-padded YYYY-MM-DD', () => {
    expect(formatIsoDate({ year: 5, month: 3, day: 7 })).toBe('0005-03-07');
  });
});

describe('today in a time zone', () => {
  test.each([
    ['UTC', '2024-12-31T23:59:59Z', '2024-12-31'],
    ['UTC', '2025-01-01T00:00:00Z', '2025-01-01'],
    ['Europe/Paris', '2024-12-31T23:00:00Z', '2025-01-01'],
    ['Europe/Paris', '2024-12-31T22:59:59Z', '2024-12-31'],
    ['America/Los_Angeles', '2025-01-01T07:59:59Z', '2024-12-31'],
    ['Pacific/Kiritimati', '2024-02-28T10:00:00Z', '2024-02-29'], // UTC+14
    ['Pacific/Pago_Pago', '2024-03-01T10:59:59Z', '2024-02-29'], // UTC-11
    ['Asia/Kolkata', '2024-02-28T18:30:00Z', '2024-02-29'], // a half-hour offset
  ])('in %s at %s it is %s', (zone, instant, expected) => {
    expect(formatIsoDate(todayInZone(zone, () => new Date(instant))())).toBe(expected);
  });

  test('a new day is seen as soon as the clock crosses midnight', () => {
    let now = new Date('2024-02-28T23:59:59.999Z');
    const today = todayInZone('UTC', () => now);
    expect(formatIsoDate(today())).toBe('2024-02-28');
    now = new Date('2024-02-29T00:00:00.000Z');
    expect(formatIsoDate(today())).toBe('2024-02-29');
  });

  test.each([
    ['UTC', true],
    ['Europe/Paris', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%p is a known time zone: %s', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
  });
});
