// Prints the run's closing lines: what was held back for want of a tool or a server (test/support/
// needs-environment.ts records it), then one plain line, "tests: N passed, N failed, N skipped", that CI reads as
// the run's verdict.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

/** Set by test/support/global-setup.ts (RUN_DIR_ENV in external-needs.ts). */
const RUN_DIR_ENV = 'HELLO_TEST_RUN_DIR';

/** need name → { kind, what, why, remedy, tests } summed over the held-back files. */
function heldBack() {
  const dir = path.join(process.env[RUN_DIR_ENV] ?? '', 'held-back');
  const byNeed = new Map();
  if (!process.env[RUN_DIR_ENV] || !existsSync(dir)) return byNeed;
  for (const file of readdirSync(dir)) {
    const record = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    for (const need of record.needs) {
      const sum = byNeed.get(need.name) ?? { ...need, tests: 0 };
      sum.tests += record.tests;
      byNeed.set(need.name, sum);
    }
  }
  return byNeed;
}

const plural = (n) => `${n} test${n === 1 ? '' : 's'}`;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const needs = [...heldBack().values()];
    const tools = needs.filter((n) => n.kind === 'tool');
    const lines = needs
      .filter((n) => n.kind !== 'tool')
      .map((n) => `tests held back, ${n.what} unreachable — ${plural(n.tests)} (${n.why}); ${n.remedy}`);
    if (tools.length > 0) {
      const each = tools.map((t) => `${t.what}: ${plural(t.tests)} (${t.why}; ${t.remedy})`);
      lines.push(`tests held back for missing tools — ${each.join('; ')}`);
    }
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } = results;
    process.stdout.write(
      `\n${lines.map((l) => `${l}\n`).join('')}tests: ${numPassedTests} passed, ${numFailedTests + numRuntimeErrorTestSuites} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
