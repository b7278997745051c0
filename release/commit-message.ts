// The words of a decision's commit: a subject saying what moved, then git trailers saying from where, why, the gate
// figures and who decided, in a fixed order a script can read with `git log --format='%(trailers)'`. The trailers
// are the tool's alone: every value is one printable line, and git itself writes them (`git commit --trailer`).
import { printableLine } from '../contract/printable-text';
import type { Decision, Figures } from './record-changes';

const UNITS: Record<string, string> = { traffic: ' req/s', errorRatio: '', latencyP99: ' s' };

export function formatFigures(figures: Figures | undefined): string {
  if (!figures || Object.keys(figures).length === 0) return 'not measured';
  return Object.entries(figures)
    .map(([gate, v]) => `${gate} ${v === null ? 'no data' : `${Number(v.toPrecision(4))}${UNITS[gate] ?? ''}`}`)
    .join(', ');
}

export interface CommitMessage {
  readonly subject: string;
  /** Key and value of each trailer, in order. */
  readonly trailers: [string, string][];
}

export function commitMessage(d: Decision): CommitMessage {
  const trailers: [string, string][] = [
    ['image', `${d.image} (release ${d.release})`],
    ['replaces', d.replaces ?? 'nothing'],
    ['from', d.from],
    ['why', d.why],
    ['gates', formatFigures(d.figures)],
    ...(d.actor ? [['actor', d.actor] as [string, string]] : []),
  ];
  return {
    subject: printableLine(`release(${d.env}): ${d.title}`),
    trailers: trailers.map(([key, value]): [string, string] => [key, printableLine(value)]),
  };
}
