// `npm run bench -- --help` as a real process: help is printed and nothing runs; anything else is refused at once,
// before a database is created or a server started.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { USAGE } from '../../bench/arguments';

const ROOT = resolve(__dirname, '../..');

function bench(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    // No reachable database: a run that went past the arguments would fail loudly instead of benchmarking.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      BENCH_ADMIN_URL: 'postgresql://nobody@127.0.0.1:1/none',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.each([['--help'], ['-h']])('npm run bench -- %s prints the usage and exits 0', (flag) => {
  expect(bench(flag)).toEqual({ status: 0, stdout: USAGE, stderr: '' });
});

test.each([
  ['--frobnicate', ['--frobnicate']],
  ['extra', ['extra']],
  ['--help extra', ['--help', 'extra']],
])('npm run bench -- %s names the unknown argument, prints the usage and exits 2', (_label, args) => {
  const unknown = args.at(-1)!;
  expect(bench(...args)).toEqual({ status: 2, stdout: '', stderr: `bench: unknown argument "${unknown}"\n${USAGE}` });
});
