import fc from 'fast-check';
import { ruleTable } from '../test/support/rule-table';
import { durationMs, parseDuration } from './duration';

ruleTable<{ name: string; text: string; ms: number | undefined }>(
  'durations',
  [
    { name: 'milliseconds', text: '500ms', ms: 500 },
    { name: 'seconds', text: '30s', ms: 30_000 },
    { name: 'minutes', text: '5m', ms: 300_000 },
    { name: 'hours', text: '1h', ms: 3_600_000 },
    { name: 'an unknown unit is no duration', text: '2x', ms: undefined },
    { name: 'a bare number is no duration', text: '30', ms: undefined },
    { name: 'zero is no duration', text: '0s', ms: undefined },
    { name: 'a leading zero is refused', text: '05s', ms: undefined },
    { name: 'compound forms are refused', text: '1h30m', ms: undefined },
    { name: 'spaces are refused', text: ' 5m', ms: undefined },
  ],
  ({ text, ms }) => expect(parseDuration(text)).toBe(ms),
);

test('a value that is not a duration throws, quoting it', () => {
  expect(() => durationMs('2x')).toThrow(`'2x' is not a duration such as "500ms", "30s", "5m" or "1h"`);
});

test('every positive count of every unit reads back as that many units', () => {
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 999_999_999 }), fc.constantFrom('ms', 's', 'm', 'h'), (n, u) => {
      expect(durationMs(`${n}${u}`)).toBe(n * unit[u]);
    }),
  );
});
