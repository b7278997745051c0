// A drill's published figures: each drill records one row per scenario; the figures reporter prints them as one
// table at the end of `npm run drills`. Rows travel through files because jest runs test files in worker processes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Set by test/drills/figures-reporter.js before any worker starts; unset under plain `npm test`. */
export const FIGURES_DIR_VARIABLE = 'HELLO_DRILL_FIGURES_DIR';

export type FigureValue = string | number | boolean;

let sequence = 0;

/** Records one row of figures, e.g. `recordFigures('database outage', 'refused', { sent: 1200, hung: 0 })`. */
export function recordFigures(drill: string, scenario: string, figures: Record<string, FigureValue>): void {
  const dir = process.env[FIGURES_DIR_VARIABLE];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}-${Date.now()}-${sequence++}.json`);
  writeFileSync(file, JSON.stringify({ drill, scenario, figures }));
}

/** Milliseconds rounded for a table. */
export const ms = (value: number): number => Math.round(value);
/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
