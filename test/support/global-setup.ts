// Once per run, before any test file: probes what the suite needs from outside Node and npm (external-needs.ts)
// and gives the run a TMPDIR of its own, which global-teardown.ts then finds empty or names what was left in it.
// In CI (CI=true) a missing need fails the run at once; elsewhere the tests that need it are held back.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { EXTERNAL_NEEDS, type ExternalNeedName, MISSING_NEEDS_ENV, RUN_DIR_ENV } from './external-needs';

/** The TMPDIR the tests were started with, restored by global-teardown.ts. */
export const ORIGINAL_TMPDIR_ENV = 'HELLO_TEST_ORIGINAL_TMPDIR';

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const missing: Partial<Record<ExternalNeedName, string>> = {};
  await Promise.all(
    Object.entries(EXTERNAL_NEEDS).map(async ([name, need]) => {
      const why = await need.probe();
      if (why !== undefined) missing[name as ExternalNeedName] = why;
    }),
  );
  const names = Object.keys(missing) as ExternalNeedName[];
  if (globalConfig.ci && names.length > 0) {
    throw new Error(
      `CI needs everything the suite uses: ${names
        .map((n) => `${EXTERNAL_NEEDS[n].what}: ${missing[n]} — ${EXTERNAL_NEEDS[n].remedy}`)
        .join('; ')}`,
    );
  }
  process.env[MISSING_NEEDS_ENV] = JSON.stringify(missing);

  const runDir = mkdtempSync(join(tmpdir(), 'hello-test-run-'));
  mkdirSync(join(runDir, 'tmp'));
  mkdirSync(join(runDir, 'held-back'));
  process.env[RUN_DIR_ENV] = runDir;
  process.env[ORIGINAL_TMPDIR_ENV] = process.env.TMPDIR ?? '';
  // Workers start after this and inherit it: every temp folder a test makes lands where the teardown looks.
  process.env.TMPDIR = join(runDir, 'tmp');
  // tsx (the processes tests start with `--import tsx`) otherwise keeps a cache folder in TMPDIR.
  process.env.TSX_DISABLE_CACHE = '1';
}
