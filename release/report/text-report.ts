// The readable report of an action for a terminal or a CI log: for verify, a table naming per gate the query,
// the measured values, the threshold and the rule that decided; for status, one row per environment. Text from
// outside the tool (records, git, the cluster) is printed as one printable line: no escape reaches the terminal.
import { printableLine } from '../../contract/printable-text';
import type { ActionResult } from '../actions/action';
import type { EnvironmentStatus } from '../actions/status';
import type { PolicyView } from '../cluster/policy-reader';
import type { VerifyDetail } from '../actions/verify';
import { formatNumber } from '../gates/evaluator';
import { exitCode } from '../gates/outcomes';

const MARK = { pass: '✓', inconclusive: '?', error: '!', fail: '✗' } as const;

/** Pads columns to a table; the last column is left ragged. */
export function table(header: readonly string[], cellsOfRows: readonly (readonly string[])[]): string {
  const rows = cellsOfRows.map((r) => r.map(printableLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const value = (v: number | null) => (v === null ? '–' : formatNumber(v));

export function verifyText(detail: VerifyDetail): string {
  const out: string[] = [];
  out.push(`release ${detail.release} in ${detail.env}: ${detail.image}`);
  out.push(
    `revision ${detail.revision.slice(0, 12)}; cluster ${detail.cluster.outcome} after ${detail.cluster.polls} poll(s): ${printableLine(detail.cluster.reason)}`,
  );
  out.push(
    table(
      ['', 'CHECK', 'DETAIL'],
      detail.cluster.checks.map((c) => [MARK[c.outcome], c.check, c.detail]),
    ),
  );
  const a = detail.analysis;
  if (a) {
    out.push('');
    out.push(
      `gates over ${a.from.toISOString()} … ${a.to.toISOString()} (window ${a.window}, every ${a.interval}, minSamples ${a.minSamples}): ${a.outcome}`,
    );
    out.push(
      table(
        ['', 'GATE', 'VERDICT', 'THRESHOLD', 'MEASURED (oldest → newest)', 'RULE: REASON'],
        a.gates.map((g) => [
          MARK[g.verdict.outcome],
          g.gate,
          g.verdict.outcome,
          `${g.bound === 'min' ? '≥' : '≤'} ${formatNumber(g.threshold)} ${g.unit}`,
          g.evaluations.map((e) => `${value(e.value)}${e.outcome === 'pass' ? '' : MARK[e.outcome]}`).join(' '),
          `${g.verdict.rule}: ${g.verdict.reason}`,
        ]),
      ),
    );
    for (const g of a.gates) out.push(`  ${g.gate} query: ${g.query}`);
    const notes = a.gates.flatMap((g) =>
      g.evaluations
        .filter((e) => e.outcome !== 'pass')
        .map((e) => `  ${g.gate} @ ${e.at.toISOString()}: ${e.outcome}: ${printableLine(e.reason)}`),
    );
    if (notes.length) out.push('measurements that did not pass:', ...notes.slice(0, 30));
  }
  return out.join('\n');
}

/** The guard's word on an environment: its ReleasePolicy's verdict and when it last evaluated. */
function guardCell(p: PolicyView | undefined): string {
  if (!p) return '–';
  if (p.state === 'absent') return 'no ReleasePolicy';
  if (p.state === 'unreachable') return 'cluster unreachable';
  const verdict = p.suspended ? 'Suspended' : (p.status?.verdict ?? 'not evaluated yet');
  const stale =
    p.generation !== undefined && (p.status?.observedGeneration ?? 0) < p.generation ? ' (spec not observed yet)' : '';
  const at = p.status?.lastEvaluation ? ` ${p.status.lastEvaluation.release} ${p.status.lastEvaluation.time}` : '';
  return `${verdict}${at}${stale}`;
}

export function statusText(rows: readonly EnvironmentStatus[]): string {
  const out = table(
    ['ENV', 'RELEASE', 'SINCE', 'FROM', 'LAST VERDICT', 'LAST VERIFIED', 'GUARD (ReleasePolicy)', 'IMAGE'],
    rows.map((r) => [
      r.env,
      r.release ?? '–',
      r.since ?? '–',
      r.from ? `${r.action} from ${r.from}` : '–',
      r.lastVerdict ? `${r.lastVerdict.outcome} ${r.lastVerdict.release} ${r.lastVerdict.at}` : '–',
      r.lastVerified ? `${r.lastVerified.release} ${r.lastVerified.at}` : '–',
      guardCell(r.policy),
      r.image ?? '–',
    ]),
  );
  const unreachable = rows.map((r) => r.policy).find((p) => p?.state === 'unreachable');
  return unreachable?.state === 'unreachable'
    ? `${out}\ncluster: ${unreachable.error} (the git record above is complete; the guard's view is not)`
    : out;
}

export function actionText(result: ActionResult): string {
  const out: string[] = [];
  if (result.action === 'verify' && result.detail) out.push(verifyText(result.detail as VerifyDetail), '');
  if (result.action === 'status' && result.detail) out.push(statusText(result.detail as EnvironmentStatus[]), '');
  out.push(
    table(
      ['', 'STEP', 'STATUS', 'NOTE'],
      result.steps.map((s) => [
        s.status === 'succeeded' ? '✓' : s.status === 'skipped' ? '-' : '✗',
        s.step,
        s.status,
        s.note ?? '',
      ]),
    ),
  );
  out.push(
    '',
    `${result.action}: ${result.outcome.toUpperCase()} (exit ${exitCode(result.outcome)}): ${printableLine(result.summary)}`,
  );
  if (result.commit) out.push(`commit: ${result.commit}`);
  return out.join('\n');
}
