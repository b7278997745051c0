// `npm run release -- … --help` as a real process (release/main.ts through tsx on this Node): asking for help prints
// the usage on stdout and exits 0, for the release tool and for its guard; a wrong command line exits 2.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { GUARD_COMMAND, USAGE } from '../../release/cli/args';
import { GUARD_USAGE } from '../../release/guard/guard-args';
import { childEnv } from '../support/child-env';

const ROOT = resolve(__dirname, '../..');

function release(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'release/main.ts', ...args], {
    cwd: ROOT,
    env: childEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.each([['--help'], ['-h']])(`release ${GUARD_COMMAND} %s prints the guard's usage and exits 0`, (flag) => {
  expect(release(GUARD_COMMAND, flag)).toEqual({ status: 0, stdout: `${GUARD_USAGE}\n`, stderr: '' });
});

test('release --help prints the usage, which lists the guard, and exits 0', () => {
  expect(release('--help')).toEqual({ status: 0, stdout: `${USAGE}\n`, stderr: '' });
});

test('an unknown guard option: one line naming it, the usage, exit 2, nothing started', () => {
  expect(release(GUARD_COMMAND, '--bogus')).toEqual({
    status: 2,
    stdout: '',
    stderr: `release guard: unknown option '--bogus'\n\n${GUARD_USAGE}\n`,
  });
});

test('release guard --retry-period 2x exits 2 at start naming the flag, instead of running blind', () => {
  const r = release(
    GUARD_COMMAND,
    '--retry-period',
    '2x',
    '--gitops',
    '/nowhere',
    '--prometheus-url',
    'http://127.0.0.1:9',
  );
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe(
    `release guard: --retry-period: '2x' is not a duration such as "500ms", "30s", "5m" or "1h"`,
  );
  expect(r.stdout).toBe('');
});

test('an unknown command is named on one line, followed by the usage, and exits 2', () => {
  expect(release('frobnicate')).toEqual({
    status: 2,
    stdout: '',
    stderr: `release: unknown command 'frobnicate'\n\n${USAGE}\n`,
  });
});
