// Jest's node environment, plus one thing: a test file that declared a need (needs.ts) this run found missing
// (global-setup.ts) is held back whole: every test skipped and no hook run, so nothing waits on a binary or a
// server that is not there. What was held back is recorded for summary-reporter.js's closing lines.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import { EXTERNAL_NEEDS, type ExternalNeedName, missingNeeds, RUN_DIR_ENV } from './external-needs';
import { NEEDS_KEY } from './needs';

/** One held-back file, as summary-reporter.js reads it. */
export interface HeldBack {
  readonly tests: number;
  readonly needs: ReadonlyArray<{ name: string; kind: string; what: string; why: string; remedy: string }>;
}

/** Marks every test and describe block under `block` skipped; returns how many tests that holds back. */
function holdBack(block: Circus.DescribeBlock): number {
  block.mode = 'skip';
  let tests = 0;
  for (const child of block.children) {
    if (child.type === 'describeBlock') tests += holdBack(child);
    else {
      child.mode = 'skip';
      tests++;
    }
  }
  return tests;
}

export default class NeedsEnvironment extends TestEnvironment {
  handleTestEvent(event: Circus.AsyncEvent | Circus.SyncEvent, state: Circus.State): void {
    if (event.name !== 'run_start') return;
    const declared = (this.global as { [NEEDS_KEY]?: Set<ExternalNeedName> })[NEEDS_KEY] ?? new Set();
    const missing = missingNeeds();
    const lacking = [...declared].filter((name) => missing[name] !== undefined);
    if (lacking.length === 0) return;
    const record: HeldBack = {
      tests: holdBack(state.rootDescribeBlock),
      needs: lacking.map((name) => {
        const { kind, what, remedy } = EXTERNAL_NEEDS[name];
        return { name, kind, what, remedy, why: missing[name]! };
      }),
    };
    const runDir = process.env[RUN_DIR_ENV];
    if (runDir) writeFileSync(join(runDir, 'held-back', `${randomUUID()}.json`), JSON.stringify(record));
  }
}
