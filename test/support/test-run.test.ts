// The test run itself, as `npm test` runs it (this project's jest config) on fixture test files: what a machine
// lacks is held back with one line naming it and how to get it, or fails the run at once under CI=true; a temp
// folder a test leaves behind fails the run by name; and the run leaves its TMPDIR as it found it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const UNREACHABLE = 'postgresql://postgres:postgres@127.0.0.1:1/postgres';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'test-run-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs jest on the fixtures named, with only Node on PATH (no prometheus, no promtool). */
function jest(fixtures: string[], env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      ...fixtures, // before the options: --roots and --testMatch take every word after them
      '--roots',
      '<rootDir>/test/support/fixtures',
      '--testMatch',
      '**/*.fixture.ts',
    ],
    {
      cwd: ROOT,
      env: { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? '/tmp', TMPDIR: tmp, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: r.status, stdout: r.stdout, output: r.stdout + r.stderr };
}

test('missing Prometheus and PostgreSQL: their tests are held back, one line each says how to get them, exit 0', () => {
  const r = jest(['needs-prometheus', 'needs-postgresql'], { CI: 'false', PG_ADMIN_URL: UNREACHABLE });
  expect(r.status).toBe(0);
  const closing = r.stdout.trimEnd().split('\n').slice(-3);
  expect(closing[0]).toBe(
    'tests held back, PostgreSQL unreachable — 2 tests (postgresql://postgres:***@127.0.0.1:1/postgres does not ' +
      'accept connections (ECONNREFUSED)); start it (bash scripts/postgres-up.sh) or point the tests at a server: ' +
      'PG_ADMIN_URL=postgresql://USER:PASSWORD@HOST:PORT/postgres npm test',
  );
  expect(closing[1]).toBe(
    'tests held back for missing tools — prometheus/promtool: 1 test (not on PATH; install: apt-get install prometheus)',
  );
  expect(closing[2]).toBe('tests: 0 passed, 0 failed, 3 skipped');
  expect(r.output).not.toMatch(/runs no hook|never runs|ENOENT/);
  expect(readdirSync(tmp)).toEqual([]);
});

test('under CI=true a missing tool fails the run at once, with the same words', () => {
  const r = jest(['needs-prometheus'], { CI: 'true' });
  expect(r.status).toBe(1);
  expect(r.output).toContain('prometheus/promtool: not on PATH — install: apt-get install prometheus');
  expect(r.output).not.toContain('tests:');
  expect(readdirSync(tmp)).toEqual([]);
});

test('a test that leaves a temp folder fails the run, which names it and still leaves TMPDIR as it found it', () => {
  const r = jest(['leaves-a-folder'], { CI: 'false' });
  expect(r.status).toBe(1);
  expect(r.output).toMatch(/the tests left 1 entries in TMPDIR \(each test removes what it makes\): left-behind-\w+/);
  expect(readdirSync(tmp)).toEqual([]);
});

/** The binaries a test may run directly, and the need that holds it back where they are missing. */
const BINARY_NEEDS: Record<string, string> = { promtool: 'prometheus', prometheus: 'prometheus', 'lua5.1': 'lua' };

test('every test file that runs promtool, prometheus or lua5.1 declares the need, itself or through what it imports', () => {
  // Where jest looks for tests (jest.config.js `roots`), not node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.config.js is CommonJS, outside the TS project
  const roots = (require(path.join(ROOT, 'jest.config.js')) as { roots: string[] }).roots.map((r) =>
    r.replace('<rootDir>/', ''),
  );
  const files = roots.flatMap((r) =>
    readdirSync(path.join(ROOT, r), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join(r, f)),
  );
  const declares = (file: string, need: string) => readFileSync(file, 'utf8').includes(`needs('${need}'`);
  const undeclared = files.flatMap((f) => {
    const text = readFileSync(path.join(ROOT, f), 'utf8');
    const imported = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) =>
      path.resolve(ROOT, path.dirname(f), `${m[1]}.ts`),
    );
    return Object.entries(BINARY_NEEDS)
      .filter(([binary]) =>
        new RegExp(`(execFile|execFileSync|spawn|spawnSync)\\('${binary.replace('.', '\\.')}'`).test(text),
      )
      .filter(([, need]) => ![path.join(ROOT, f), ...imported].some((i) => existsSync(i) && declares(i, need)))
      .map(([binary, need]) => `${f} runs ${binary} without needs('${need}')`);
  });
  expect(files.length).toBeGreaterThan(50);
  expect(undeclared).toEqual([]);
});
