// Jest reporter for `npm run drills`: gives the workers a folder for their figures, then prints every drill's
// figures as one compact table (Markdown, so docs/drills.md can quote it as is) after the run.
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const VARIABLE = 'HELLO_DRILL_FIGURES_DIR';

class DrillFiguresReporter {
  constructor() {
    // Reporters are built before jest forks its workers, which inherit this environment.
    this.dir = mkdtempSync(path.join(tmpdir(), 'hello-drill-figures-'));
    process.env[VARIABLE] = this.dir;
  }

  onRunComplete() {
    const rows = readdirSync(this.dir)
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')));
    rmSync(this.dir, { recursive: true, force: true });
    if (rows.length === 0) return;
    rows.sort((a, b) => a.drill.localeCompare(b.drill));
    const lines = ['', 'Drill figures', '', '| drill | scenario | figures |', '| --- | --- | --- |'];
    for (const { drill, scenario, figures } of rows) {
      const text = Object.entries(figures)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');
      lines.push(`| ${drill} | ${scenario} | ${text} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
module.exports = DrillFiguresReporter;
