// Drill: hostile text through the release CLI — an --actor that tries to forge a commit trailer, a --reason carrying
// terminal escapes, a record committed by someone else holding escapes and markup. Each becomes one line of
// printable text in the commit, the record, the terminal and the job summary; trailers come only from the tool.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, git, type GitopsRemote } from '../support/git-repos';
import { CONTROL, releaseCli, type ReleaseCli } from '../support/release-cli';
import { recordFigures } from './figures';

jest.setTimeout(240_000);

const verified = image('verified');
const fresh = image('fresh');
/** The keys of the trailers the tool writes, in order. */
const TOOL_TRAILERS = ['image', 'replaces', 'from', 'why', 'gates', 'actor'];
const FORGED = 'me\n\nSigned-off-by: Mallory <m@x>';
const ESCAPES = '\u001b[2J\u001b]0;owned\u0007cleared\r\nSigned-off-by: Mallory <m@x>\u009b31m';

let remote: GitopsRemote;
let cli: ReleaseCli;
beforeEach(async () => {
  remote = await createGitopsRemote([record('dev', fresh, verified)]);
  cli = await releaseCli();
});
afterEach(async () => {
  await remote.cleanup();
  await cli.cleanup();
});

const trailerKeys = async () =>
  (await git(remote.url, 'log', '-1', '--format=%(trailers:only,unfold)', 'main'))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, l.indexOf(':')));

test('an --actor with a blank line and a Signed-off-by line forges no trailer and is recorded as one line', async () => {
  const run = await cli.run([
    'deploy',
    '--env',
    'dev',
    '--image',
    image('next'),
    '--gitops',
    remote.url,
    '--actor',
    FORGED,
  ]);
  recordFigures('release: hostile text', '--actor forging a trailer', {
    exit: String(run.code),
    'Signed-off-by trailers': (await git(remote.url, 'log', '-1', '--format=%(trailers:key=Signed-off-by)', 'main'))
      .split('\n')
      .filter(Boolean).length,
  });
  expect(run.code).toBe(0);
  expect(await trailerKeys()).toEqual(TOOL_TRAILERS);
  expect((await remote.message()).split('\n').filter((l) => l.includes('Mallory'))).toEqual([
    'actor: me Signed-off-by: Mallory <m@x>',
  ]);
  expect((await remote.record('dev')).history.at(-1)?.actor).toBe('me Signed-off-by: Mallory <m@x>');
});

test('a --reason with terminal escapes is stored and printed later as printable text only', async () => {
  const summary = join(cli.tmp, 'summary.md');
  const rollback = await cli.run([
    'rollback',
    '--env',
    'dev',
    '--reason',
    ESCAPES,
    '--gitops',
    remote.url,
    '--actor',
    'drill',
  ]);
  expect(rollback.code).toBe(0);
  expect(await trailerKeys()).toEqual(TOOL_TRAILERS);
  const stored = await remote.record('dev');
  expect(stored.bad.map((b) => b.reason)).toEqual([expect.stringContaining('cleared Signed-off-by: Mallory <m@x>')]);
  expect(JSON.stringify(stored)).not.toMatch(/\\u00(1b|07|9b)|\\r|\\n/);

  // A later run prints the stored reason: fresh was marked bad with it.
  const later = await cli.run(['deploy', '--env', 'dev', '--image', fresh, '--gitops', remote.url], {
    GITHUB_STEP_SUMMARY: summary,
  });
  const written = await readFile(summary, 'utf8');
  recordFigures('release: hostile text', '--reason with terminal escapes, printed by a later run', {
    exit: String(later.code),
    'control bytes printed': [...(later.stdout + later.stderr)].filter((c) => CONTROL.test(c)).length,
  });
  expect(later.code).toBe(1);
  expect(later.stdout).toContain('cleared Signed-off-by: Mallory');
  expect(later.stdout + later.stderr).not.toMatch(CONTROL);
  expect(written).not.toMatch(CONTROL);
});

test('escapes and markup in a record committed by someone else reach neither the terminal nor the job summary', async () => {
  const summary = join(cli.tmp, 'summary.md');
  const hostile = `\u001b]8;;http://evil\u0007link\u001b]8;;\u0007 <img src=x onerror=alert(1)> [click](http://evil) | a cell`;
  const dev = record('dev', verified, verified);
  await remote.commitRecord(
    { ...dev, bad: [{ image: fresh, at: '2025-01-01T00:00:00.000Z', reason: hostile }] },
    'someone marks fresh bad',
  );
  const run = await cli.run(['deploy', '--env', 'dev', '--image', fresh, '--gitops', remote.url], {
    GITHUB_STEP_SUMMARY: summary,
  });
  const written = await readFile(summary, 'utf8');
  recordFigures('release: hostile text', 'escapes and markup in a committed record', {
    exit: String(run.code),
    'raw HTML in summary': written.includes('<img') ? 'yes' : 'no',
  });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('<img src=x onerror=alert(1)> [click](http://evil) | a cell');
  expect(run.stdout + run.stderr).not.toMatch(CONTROL);
  expect(written).not.toMatch(CONTROL);
  expect(written).not.toContain('<img');
  expect(written).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(written).toContain('\\[click\\]');
  expect(written).toContain('\\| a cell');
});
