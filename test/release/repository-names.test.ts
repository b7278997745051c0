// The gitops repository and branch the release tool and the guard accept: a branch name is refused exactly when git
// refuses it (real git is the judge here), and a value git would read as an option never reaches git.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { parseCommand, UsageError } from '../../release/cli/args';
import { parseGuardCommand } from '../../release/guard/guard-args';
import { branchNameSchema } from '../../release/gitops/repository-names';

const exec = promisify(execFile);

async function gitAccepts(name: string): Promise<boolean> {
  return exec('git', ['check-ref-format', '--branch', name], { cwd: tmpdir() }).then(
    () => true,
    () => false,
  );
}

const NAMES = [
  ['main', 'release/v1', 'feature/a-b_c', 'v1.0', 'ünïcode', 'a@b', 'a.lockx', 'x/y.z'],
  ['HEAD', '-x', '--upload-pack=touch x', '.hidden', 'a/.b', 'a..b', 'a.lock', 'a/b.lock', 'a@{1}', 'a b'],
  ['a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', '/a', 'a/', 'a//b', 'a.', 'a\tb', 'a\nb', 'a\x7fb', '@{-1}'],
].flat();

test.each(NAMES)('the branch %j is accepted exactly when git accepts it', async (name) => {
  expect(branchNameSchema.safeParse(name).success).toBe(await gitAccepts(name));
});

test('"@", which git reads as HEAD, is no branch to push a release to', async () => {
  expect(branchNameSchema.safeParse('@').success).toBe(false);
});

describe.each([
  ['release status', (argv: string[]) => parseCommand(['status', ...argv], {})],
  [
    'release guard',
    (argv: string[]) =>
      parseGuardCommand(['--prometheus-url', 'http://prometheus:9090', '--gitops', 'repo', ...argv], {}),
  ],
])('%s', (_name, parse) => {
  test('refuses a --gitops value git would read as an option, naming --gitops', () => {
    expect(() => parse(['--gitops=--upload-pack=touch /tmp/owned'])).toThrow(/--gitops: .*not an option/);
  });

  test('refuses a --branch git would refuse, naming --branch', () => {
    expect(() => parse(['--branch', 'main..x'])).toThrow(/--branch: not a branch name git accepts/);
    expect(() => parse(['--branch=-f'])).toThrow(/--branch: not a branch name git accepts/);
  });

  test('takes a branch with slashes and a URL', () => {
    expect(parse(['--gitops', 'https://git.example.com/o/r.git', '--branch', 'release/v1'])).toMatchObject({
      gitops: 'https://git.example.com/o/r.git',
      branch: 'release/v1',
    });
  });
});

test('the CLI reports a wrong value as a usage error (exit 2), not as a failed release', () => {
  expect(() => parseCommand(['status', '--branch', 'a b'], {})).toThrow(UsageError);
});
