import fc from 'fast-check';
import { type CalendarDate, daysInMonth, formatIsoDate } from './birthday';
import { ValidationError } from './errors';
import { parseSaveBirthday, parseUsername } from './validation';

const TODAY: CalendarDate = { year: 2024, month: 6, day: 15 };
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const letters = (min: number, max: number) =>
  fc.array(fc.constantFrom(...LETTERS), { minLength: min, maxLength: max }).map((a) => a.join(''));
const realDate = (from: number, to: number) =>
  fc
    .record({
      year: fc.integer({ min: from, max: to }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map((x) => ({ ...x, day: Math.min(x.day, daysInMonth(x.year, x.month)) }));

function fieldErrors(work: () => unknown): Array<{ field: string; message: string }> {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.errors];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('usernames', () => {
  test('any 1 to 64 ASCII letters are accepted, echoed as written and keyed in lower case', () => {
    fc.assert(
      fc.property(letters(1, 64), (name) => {
        expect(parseUsername(name)).toEqual({ display: name, key: name.toLowerCase() });
      }),
    );
  });

  test('spellings that differ only in case are one identity', () => {
    fc.assert(
      fc.property(letters(1, 64), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (name, flips) => {
        const other = [...name].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join('');
        expect(parseUsername(other).key).toBe(parseUsername(name).key);
      }),
    );
  });

  test('a username containing anything but an ASCII letter is rejected', () => {
    const notALetter = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !/^[A-Za-z]$/.test(c));
    fc.assert(
      fc.property(letters(0, 30), notALetter, letters(0, 30), (before, bad, after) => {
        expect(fieldErrors(() => parseUsername(before + bad + after))).toEqual([
          { field: 'path.username', message: 'must be 1 to 64 ASCII letters (A-Z, a-z)' },
        ]);
      }),
    );
  });

  test.each(['', 'a'.repeat(65), '%41lice', 'Al ice', 'alice1', 'al_ice', 'al-ice', 'Zoë', 'ａlice'])(
    '%p is rejected',
    (name) => {
      expect(fieldErrors(() => parseUsername(name))).toHaveLength(1);
    },
  );
});

describe('the date of birth in a PUT body', () => {
  const save = (body: unknown, name = 'Alice') => parseSaveBirthday(name, body, TODAY);

  test('any real date before today is accepted as written', () => {
    fc.assert(
      fc.property(realDate(1, 2024), (date) => {
        fc.pre(formatIsoDate(date) < '2024-06-15');
        expect(save({ dateOfBirth: formatIsoDate(date) }).dateOfBirth).toBe(formatIsoDate(date));
      }),
    );
  });

  test('today and any later date are rejected', () => {
    fc.assert(
      fc.property(realDate(2024, 9999), (date) => {
        fc.pre(formatIsoDate(date) >= '2024-06-15');
        expect(fieldErrors(() => save({ dateOfBirth: formatIsoDate(date) }))).toEqual([
          { field: 'body.dateOfBirth', message: 'must be before today' },
        ]);
      }),
    );
  });

  test('a day beyond the end of its month is rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2023 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 68 }),
        (y, m, extra) => {
          const day = daysInMonth(y, m) + extra;
          fc.pre(day <= 99);
          const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(fieldErrors(() => save({ dateOfBirth: iso }))).toEqual([
            { field: 'body.dateOfBirth', message: 'must be a real calendar date' },
          ]);
        },
      ),
    );
  });

  test('a string in any other form than YYYY-MM-DD is rejected', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^\d{4}-\d{2}-\d{2}$/.test(s));
        expect(fieldErrors(() => save({ dateOfBirth: s }))).toEqual([
          { field: 'body.dateOfBirth', message: 'must be a date in YYYY-MM-DD form' },
        ]);
      }),
    );
  });

  test('any body other than a JSON object with exactly a valid dateOfBirth is rejected, never with another error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const valid =
          typeof body === 'object' &&
          body !== null &&
          !Array.isArray(body) &&
          Object.keys(body).length === 1 &&
          typeof (body as Record<string, unknown>).dateOfBirth === 'string';
        fc.pre(!valid);
        expect(fieldErrors(() => save(body)).length).toBeGreaterThan(0);
      }),
    );
  });

  test.each<[string, unknown, Array<{ field: string; message: string }>]>([
    [
      'Feb 29 of a common year',
      { dateOfBirth: '2001-02-29' },
      [{ field: 'body.dateOfBirth', message: 'must be a real calendar date' }],
    ],
    ['Feb 30', { dateOfBirth: '2001-02-30' }, [{ field: 'body.dateOfBirth', message: 'must be a real calendar date' }]],
    [
      'month 13',
      { dateOfBirth: '2001-13-01' },
      [{ field: 'body.dateOfBirth', message: 'must be a real calendar date' }],
    ],
    [
      'year 0000',
      { dateOfBirth: '0000-01-01' },
      [{ field: 'body.dateOfBirth', message: 'must be a real calendar date' }],
    ],
    [
      'a datetime',
      { dateOfBirth: '2001-02-03T00:00:00Z' },
      [{ field: 'body.dateOfBirth', message: 'must be a date in YYYY-MM-DD form' }],
    ],
    [
      'no zero padding',
      { dateOfBirth: '2001-2-3' },
      [{ field: 'body.dateOfBirth', message: 'must be a date in YYYY-MM-DD form' }],
    ],
    [
      'non-ASCII digits',
      { dateOfBirth: '２００１-02-03' },
      [{ field: 'body.dateOfBirth', message: 'must be a date in YYYY-MM-DD form' }],
    ],
    [
      'an empty string',
      { dateOfBirth: '' },
      [{ field: 'body.dateOfBirth', message: 'must be a date in YYYY-MM-DD form' }],
    ],
    [
      'a number',
      { dateOfBirth: 20010203 },
      [{ field: 'body.dateOfBirth', message: 'must be a string in YYYY-MM-DD form' }],
    ],
    ['null', { dateOfBirth: null }, [{ field: 'body.dateOfBirth', message: 'must be a string in YYYY-MM-DD form' }]],
    [
      'an array',
      { dateOfBirth: ['2001-02-03'] },
      [{ field: 'body.dateOfBirth', message: 'must be a string in YYYY-MM-DD form' }],
    ],
    ['missing', {}, [{ field: 'body.dateOfBirth', message: 'is required' }]],
    [
      'an unknown key beside a valid date',
      { dateOfBirth: '2001-02-03', name: 'x' },
      [{ field: 'body.name', message: 'is not a known field' }],
    ],
    ['a body that is an array', [{ dateOfBirth: '2001-02-03' }], [{ field: 'body', message: 'must be a JSON object' }]],
    ['a body that is null', null, [{ field: 'body', message: 'must be a JSON object' }]],
    ['a body that is a string', '2001-02-03', [{ field: 'body', message: 'must be a JSON object' }]],
    ['no body at all', undefined, [{ field: 'body', message: 'must be a JSON object' }]],
  ])('%s is rejected, naming the field', (_, body, expected) => {
    expect(fieldErrors(() => save(body))).toEqual(expected);
  });

  test('a bad username and a bad date are both named in one answer', () => {
    expect(fieldErrors(() => save({ dateOfBirth: '2001-02-30' }, 'al1ce'))).toEqual([
      { field: 'path.username', message: 'must be 1 to 64 ASCII letters (A-Z, a-z)' },
      { field: 'body.dateOfBirth', message: 'must be a real calendar date' },
    ]);
  });

  test('the day before today is the latest accepted date', () => {
    expect(save({ dateOfBirth: '2024-06-14' })).toEqual({
      user: { display: 'Alice', key: 'alice' },
      dateOfBirth: '2024-06-14',
    });
  });
});
