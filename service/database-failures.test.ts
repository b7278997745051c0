import { isDatabaseUnavailable } from './database-failures';

const socket = (code: string) => Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect', errno: -1 });
const pg = (code: string, message = 'server error') => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('isDatabaseUnavailable', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['a refused connection', socket('ECONNREFUSED'), true],
    ['a reset connection', socket('ECONNRESET'), true],
    ['an unresolvable host', socket('ENOTFOUND'), true],
    ["pg's connect timeout", new Error('timeout exceeded when trying to connect'), true],
    ["pg's query timeout", new Error('Query read timeout'), true],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly'), true],
    ['statement_timeout (57014)', pg('57014', 'canceling statement due to statement timeout'), true],
    ['an administrator shutdown (57P01)', pg('57P01'), true],
    ['a server still starting (57P03)', pg('57P03'), true],
    ['too many connections (53300)', pg('53300'), true],
    ['a connection exception (08006)', pg('08006'), true],
    ["Prisma's can't-reach (P1001)", Object.assign(new Error('x'), { code: 'P1001' }), true],
    ["Prisma's pool timeout (P2024)", Object.assign(new Error('x'), { code: 'P2024' }), true],
    [
      'an adapter error Prisma kept in meta',
      Object.assign(new Error('x'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
      }),
      true,
    ],
    ['a refusal wrapped as a cause', new Error('outer', { cause: socket('ECONNREFUSED') }), true],
    ['a unique violation (23505)', pg('23505', 'duplicate key'), false],
    ['a missing table (42P01)', pg('42P01', 'relation "users" does not exist'), false],
    ['a syntax error (42601)', pg('42601'), false],
    ["Prisma's record-not-found (P2025)", Object.assign(new Error('x'), { code: 'P2025' }), false],
    ['a plain bug', new TypeError('undefined is not a function'), false],
    ['a thrown string', 'boom', false],
    ['undefined', undefined, false],
  ];
  it.each(cases)('%s → %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });

  it('terminates on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
