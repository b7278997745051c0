// The GitHub Actions job summary: the gate table in Markdown and Mermaid charts of the error ratio and the p99
// latency over the window, appended to $GITHUB_STEP_SUMMARY. Text from outside the tool (a record's reason, git's
// words, the cluster's) is escaped so GitHub shows it as written: no HTML, links or table cells of its own.
import { appendFile } from 'node:fs/promises';
import { printableLine } from '../../contract/printable-text';
import type { ActionResult } from '../actions/action';
import type { EnvironmentStatus } from '../actions/status';
import type { VerifyDetail } from '../actions/verify';
import type { GateReport } from '../gates/analysis';
import { formatNumber } from '../gates/evaluator';
import { exitCode } from '../gates/outcomes';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** One printable line that Markdown and HTML show literally: HTML's specials as entities, Markdown's escaped. */
function markdownText(s: string): string {
  return printableLine(s)
    .replace(/[&<>"]/g, (c) => ENTITIES[c]!)
    .replace(/[\\`*_[\]|~$#!]/g, '\\$&');
}

/** Text inside a code span (the tool's own queries): one line, no cell separator. */
const code = (s: string) => printableLine(s).replace(/\|/g, '\\|').replace(/`/g, "'");
const ICON = { pass: '✅', inconclusive: '❔', error: '⚠️', fail: '❌' } as const;

function chart(g: GateReport, title: string): string {
  const labels = g.evaluations.map((e) => JSON.stringify(e.at.toISOString().slice(11, 19)));
  // Mermaid needs numbers: a missing value is drawn at 0 and listed under the chart.
  const values = g.evaluations.map((e) => (e.value === null ? 0 : Number(e.value.toPrecision(4))));
  const top = Math.max(g.threshold * 1.5, ...values);
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title} (threshold ${formatNumber(g.threshold)} ${g.unit})"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "${g.unit}" 0 --> ${Number(top.toPrecision(3))}`,
    `  line [${values.join(', ')}]`,
    `  line [${values.map(() => g.threshold).join(', ')}]`,
    '```',
  ].join('\n');
}

export function verifyMarkdown(result: ActionResult, d: VerifyDetail): string {
  const out = [
    `### ${ICON[result.outcome]} verify ${d.env}: release \`${d.release}\` — ${result.outcome} (exit ${exitCode(result.outcome)})`,
    '',
    markdownText(result.summary),
    '',
  ];
  out.push(
    '| | cluster check | detail |',
    '|---|---|---|',
    ...d.cluster.checks.map((c) => `| ${ICON[c.outcome]} | ${c.check} | ${markdownText(c.detail)} |`),
    '',
  );
  const a = d.analysis;
  if (a) {
    out.push(`Window ${a.window}, measured every ${a.interval}, ${a.minSamples} passing samples needed.`, '');
    out.push('| | gate | query | measured | threshold | rule: reason |', '|---|---|---|---|---|---|');
    for (const g of a.gates) {
      const measured = g.evaluations.map((e) => (e.value === null ? '–' : formatNumber(e.value))).join(', ');
      out.push(
        `| ${ICON[g.verdict.outcome]} | ${g.gate} | \`${code(g.query)}\` | ${measured} | ${g.bound === 'min' ? '≥' : '≤'} ${formatNumber(g.threshold)} ${g.unit} | ${markdownText(`${g.verdict.rule}: ${g.verdict.reason}`)} |`,
      );
    }
    out.push('');
    const errorRatio = a.gates.find((g) => g.gate === 'errorRatio');
    const p99 = a.gates.find((g) => g.gate === 'latencyP99');
    if (errorRatio?.evaluations.length) out.push(chart(errorRatio, 'Error ratio'), '');
    if (p99?.evaluations.length) out.push(chart(p99, 'p99 latency'), '');
  }
  return out.join('\n');
}

export function actionMarkdown(result: ActionResult): string {
  if (result.action === 'verify' && result.detail) return verifyMarkdown(result, result.detail as VerifyDetail);
  const out = [
    `### ${ICON[result.outcome]} ${result.action}: ${result.outcome} (exit ${exitCode(result.outcome)})`,
    '',
    markdownText(result.summary),
    '',
  ];
  if (result.action === 'status' && result.detail) {
    out.push('| env | release | since | from | last verdict | last verified |', '|---|---|---|---|---|---|');
    for (const r of result.detail as EnvironmentStatus[]) {
      out.push(
        `| ${r.env} | ${r.release ?? '–'} | ${r.since ?? '–'} | ${r.from ? `${r.action} from ${r.from}` : '–'} | ${r.lastVerdict ? `${r.lastVerdict.outcome} ${r.lastVerdict.release}` : '–'} | ${r.lastVerified?.release ?? '–'} |`,
      );
    }
    out.push('');
  }
  if (result.commit) out.push(`Commit \`${result.commit}\``, '');
  return out.join('\n');
}

export async function appendJobSummary(path: string, result: ActionResult): Promise<void> {
  await appendFile(path, `${actionMarkdown(result)}\n`);
}
