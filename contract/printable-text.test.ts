import fc from 'fast-check';
import { printableLine } from './printable-text';

const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

test('any text becomes one line with no control, separator or bidi character, trimmed, single-spaced', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const line = printableLine(text);
      expect(line).not.toMatch(UNPRINTABLE);
      expect(line).not.toMatch(/^\s|\s$|\s\s/);
      expect(line.isWellFormed()).toBe(true);
      expect(printableLine(line)).toBe(line);
    }),
  );
});

test('printable one-line text is kept as written', () => {
  fc.assert(fc.property(fc.stringMatching(/^[!-~]+( [!-~]+)*$/), (text) => expect(printableLine(text)).toBe(text)));
});

test.each([
  ['a terminal escape that clears the screen', '\u001b[2Jgone', '[2Jgone'],
  ['a forged trailer on a line of its own', 'me\n\nSigned-off-by: M <m@x>', 'me Signed-off-by: M <m@x>'],
  ['a C1 control sequence introducer', 'a\u009b31mb', 'a 31mb'],
  ['a right-to-left override', 'abc\u202edcba', 'abc dcba'],
])('%s is neutralised', (_name, text, expected) => {
  expect(printableLine(text)).toBe(expected);
});
