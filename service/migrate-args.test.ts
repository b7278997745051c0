import { parseMigrateArgs } from './migrate-args';

describe('parseMigrateArgs', () => {
  const accepted: Array<[string[], string | undefined, unknown]> = [
    [[], undefined, { mode: 'apply', waitSeconds: 0 }],
    [['--check'], undefined, { mode: 'check', waitSeconds: 0 }],
    [['--check', '--wait'], undefined, { mode: 'check', waitSeconds: 60 }],
    [['--check', '--wait'], '15', { mode: 'check', waitSeconds: 15 }],
    [['--check', '--wait', '5'], '15', { mode: 'check', waitSeconds: 5 }],
    [['--wait', '5', '--check'], undefined, { mode: 'check', waitSeconds: 5 }],
    [['--check', '--wait=7'], undefined, { mode: 'check', waitSeconds: 7 }],
    [['--wait'], undefined, { mode: 'apply', waitSeconds: 60 }],
    [['--wait', '0'], undefined, { mode: 'apply', waitSeconds: 0 }],
    [
      ['--mark-rolled-back', '20260101000000_x'],
      undefined,
      { mode: 'mark-rolled-back', migration: '20260101000000_x', waitSeconds: 0 },
    ],
    [['--help'], undefined, { mode: 'help' }],
    [['-h'], undefined, { mode: 'help' }],
    [['--check', '--bogus', '--help'], 'soon', { mode: 'help' }],
  ];
  it.each(accepted)('accepts %j (MIGRATE_WAIT_SECONDS=%s)', (args, env, command) => {
    expect(parseMigrateArgs(args, env)).toEqual({ ok: true, command });
  });

  const rejected: Array<[string[], string | undefined, RegExp]> = [
    [['--bogus'], undefined, /unexpected argument '--bogus'/],
    [['check'], undefined, /unexpected argument 'check'/],
    [['migrate', '--check'], undefined, /unexpected argument 'migrate'/],
    [['--check', '--check'], undefined, /unexpected argument '--check'/],
    [['--wait', '5', '--wait', '6'], undefined, /unexpected argument '--wait'/],
    [['--check', '--wait', '-1'], undefined, /unexpected argument '-1'/],
    [['--check', '--wait', '1.5'], undefined, /unexpected argument '1.5'/],
    [['--check', '--wait=soon'], undefined, /unexpected argument '--wait=soon'/],
    [['--check', '--wait'], 'soon', /MIGRATE_WAIT_SECONDS must be a whole number/],
    [['--mark-rolled-back'], undefined, /unexpected argument '--mark-rolled-back'/],
    [['--mark-rolled-back', 'x', '--check'], undefined, /cannot be combined with --check/],
  ];
  it.each(rejected)('rejects %j (MIGRATE_WAIT_SECONDS=%s)', (args, env, message) => {
    const parsed = parseMigrateArgs(args, env);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
