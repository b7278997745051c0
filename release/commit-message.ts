// The words of a decision's commit: what moved, from where, why, and the gate figures, in a fixed layout that
// reads well in `git log` and that a script can parse line by line.
import type { Decision, Figures } from './record-changes';

const UNITS: Record<string, string> = { traffic: ' req/s', errorRatio: '', latencyP99: ' s' };

export function formatFigures(figures: Figures | undefined): string {
  if (!figures || Object.keys(figures).length === 0) return 'not measured';
  return Object.entries(figures)
    .map(([gate, v]) => `${gate} ${v === null ? 'no data' : `${Number(v.toPrecision(4))}${UNITS[gate] ?? ''}`}`)
    .join(', ');
}

export function commitMessage(d: Decision): string {
  return [
    `release(${d.env}): ${d.title}`,
    '',
    `image: ${d.image} (release ${d.release})`,
    `replaces: ${d.replaces ?? 'nothing'}`,
    `from: ${d.from}`,
    `why: ${d.why.replace(/\s+/g, ' ')}`,
    `gates: ${formatFigures(d.figures)}`,
    ...(d.actor ? [`actor: ${d.actor}`] : []),
    '',
  ].join('\n');
}
