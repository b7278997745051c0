// Once per run, before any test file: probes what the suite needs from outside Node and npm (external-needs.ts)
// and gives the run a TMPDIR of its own, which global-teardown.ts then finds empty or names what was left in it.
// In CI (CI=true) a missing need fails the run at once; elsewhere the tests that need it are held back.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { EXTERNAL_NEEDS, type ExternalNeedName, MISSING_NEEDS_ENV, RUN_DIR_ENV } from './external-needs';

/** The name tsx gives its cache folder in TMPDIR: the setup's own entry there, not a test's leftover. */
export const TSX_CACHE_LINK = `tsx-${process.geteuid?.() ?? userInfo().username}`;
const TSX_CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'tsx');

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
  // tsx, which the processes tests start load with `--import tsx`, keeps its compile cache in TMPDIR: pointed at
  // node_modules/.cache instead, it stays warm from run to run (a cold start costs seconds per process).
  mkdirSync(TSX_CACHE, { recursive: true });
  symlinkSync(TSX_CACHE, join(process.env.TMPDIR, TSX_CACHE_LINK));
}
