// Once per run, after every test file: the run's own TMPDIR (global-setup.ts) must be empty, since every test
// removes what it creates. What is left is named, the run fails, and the folder is removed either way.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR_ENV } from './external-needs';
import { ORIGINAL_TMPDIR_ENV, TSX_CACHE_LINK } from './global-setup';

export default function globalTeardown(): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (!runDir) return;
  const left = readdirSync(join(runDir, 'tmp'))
    .filter((entry) => entry !== TSX_CACHE_LINK)
    .sort();
  rmSync(runDir, { recursive: true, force: true });
  const original = process.env[ORIGINAL_TMPDIR_ENV];
  if (original) process.env.TMPDIR = original;
  else delete process.env.TMPDIR;
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} entries in TMPDIR (each test removes what it makes): ${left.join(', ')}`,
    );
  }
}
