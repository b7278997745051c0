// One analysis run: measures every SLO gate every interval across the analysis window, evaluates each
// measurement, and aggregates each gate's series into a verdict. The release tool's verify and the guard share it.
import { seconds, type GateName, type GatePolicy, type Slo } from '../../cdk8s/environments';
import { gateQueries, type GateQuery, type QueryScope } from '../../cdk8s/slo-queries';
import { aggregate, type GateVerdict } from './aggregator';
import { evaluate, type Evaluation, type EvidenceRules } from './evaluator';
import { newestSampleQuery, sampleCountQuery } from './evidence-queries';
import type { Evidence, Measurement } from './measurement';
import { worst, type Outcome } from './outcomes';
import type { MetricsProvider } from './prometheus-provider';

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AnalysisInput {
  readonly scope: QueryScope;
  /** Thresholds, window, interval, minSamples and per-gate policy: the environment's SLO (or a test's). */
  readonly slo: Slo;
  /** When the release went live; measurements never start before it. */
  readonly liveSince: Date;
  readonly provider: MetricsProvider;
  /** @default minSeriesSamples 3, maxSampleAgeSeconds twice the interval */
  readonly evidence?: Partial<EvidenceRules>;
  /** How long to let the newest scrape land before measuring an instant that has just passed. @default 1000 */
  readonly ingestDelayMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called after each round, e.g. to log progress. */
  readonly onRound?: (at: Date, evaluations: Readonly<Record<GateName, Evaluation>>) => void;
}

export interface GateReport extends GateQuery {
  readonly policy: GatePolicy;
  readonly evaluations: readonly Evaluation[];
  readonly verdict: GateVerdict;
}

export interface AnalysisReport {
  readonly outcome: Outcome;
  readonly scope: QueryScope;
  readonly window: string;
  readonly interval: string;
  readonly minSamples: number;
  readonly from: Date;
  readonly to: Date;
  readonly gates: readonly GateReport[];
  /** The gate that decided a failure or error, with its reason; the first passing gate's reason otherwise. */
  readonly reason: string;
}

/**
 * The schedule: `window / interval` instants ending `window` after the later of `liveSince` and `now - window`.
 * A release live for longer than the window is judged at once on its most recent window; a new one is followed
 * in real time.
 */
export function schedule(liveSince: Date, now: Date, slo: Pick<Slo, 'window' | 'interval'>): Date[] {
  const windowMs = seconds(slo.window) * 1000;
  const intervalMs = seconds(slo.interval) * 1000;
  const start = Math.max(liveSince.getTime(), now.getTime() - windowMs);
  const count = Math.max(1, Math.floor(windowMs / intervalMs));
  return Array.from({ length: count }, (_, k) => new Date(start + (k + 1) * intervalMs));
}

async function measureEvidence(
  provider: MetricsProvider,
  scope: QueryScope,
  window: string,
  at: Date,
): Promise<Evidence | undefined> {
  const [count, newest] = await Promise.all([
    provider.measure(sampleCountQuery(scope, window), at),
    provider.measure(newestSampleQuery(scope), at),
  ]);
  // Evidence that cannot be measured leaves the gate values to speak for themselves (their own errors show).
  if (count.kind === 'error' || newest.kind === 'error') return undefined;
  const samples = count.kind === 'value' && Number.isFinite(count.value) ? count.value : 0;
  if (newest.kind !== 'value' || !Number.isFinite(newest.value)) return { samples };
  return { samples, newestSampleAgeSeconds: Math.max(0, at.getTime() / 1000 - newest.value) };
}

function withEvidence(m: Measurement, evidence: Evidence | undefined): Measurement {
  return m.kind === 'value' && evidence ? { ...m, evidence } : m;
}

export async function analyse(input: AnalysisInput): Promise<AnalysisReport> {
  const { scope, slo, provider } = input;
  const clock = input.clock ?? systemClock;
  const rules: EvidenceRules = {
    minSeriesSamples: input.evidence?.minSeriesSamples ?? 3,
    maxSampleAgeSeconds: input.evidence?.maxSampleAgeSeconds ?? 2 * seconds(slo.interval),
  };
  const queries = gateQueries(slo, scope);
  const series = new Map<GateName, Evaluation[]>(queries.map((q) => [q.gate, []]));
  const instants = schedule(input.liveSince, clock.now(), slo);
  const ingestDelayMs = input.ingestDelayMs ?? 1000;

  for (const at of instants) {
    const wait = at.getTime() + ingestDelayMs - clock.now().getTime();
    if (wait > 0) await clock.sleep(wait);
    const [evidence, ...values] = await Promise.all([
      measureEvidence(provider, scope, slo.window, at),
      ...queries.map((q) => provider.measure(q.query, at)),
    ]);
    const round = {} as Record<GateName, Evaluation>;
    queries.forEach((q, k) => {
      const e = evaluate(withEvidence(values[k]!, evidence), q, rules);
      series.get(q.gate)!.push(e);
      round[q.gate] = e;
    });
    input.onRound?.(at, round);
    const verdicts = queries.map((q) => aggregate(series.get(q.gate)!, slo.gates[q.gate], slo.minSamples));
    // Stop early once more measurements cannot change the result: a failure is final, or every gate is decided.
    if (verdicts.some((v) => v.final && v.outcome === 'fail') || verdicts.every((v) => v.final)) break;
  }

  const gates: GateReport[] = queries.map((q) => {
    const evaluations = series.get(q.gate)!;
    return {
      ...q,
      policy: slo.gates[q.gate],
      evaluations,
      verdict: aggregate(evaluations, slo.gates[q.gate], slo.minSamples),
    };
  });
  const outcome = worst(gates.map((g) => g.verdict.outcome));
  const decider = gates.find((g) => g.verdict.outcome === outcome) ?? gates[0]!;
  const measured = gates.flatMap((g) => g.evaluations.map((e) => e.at.getTime()));
  return {
    outcome,
    scope,
    window: slo.window,
    interval: slo.interval,
    minSamples: slo.minSamples,
    from: new Date(Math.min(...measured, instants[0]!.getTime())),
    to: new Date(Math.max(...measured, instants[0]!.getTime())),
    gates,
    reason: `${decider.gate}: ${decider.verdict.reason} (${decider.verdict.rule})`,
  };
}

/** The figures a commit message and the release history carry: each gate's last measured value. */
export function gateFigures(report: AnalysisReport): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const g of report.gates) {
    const last = [...g.evaluations].reverse().find((e) => e.value !== null);
    figures[g.gate] = last?.value ?? null;
  }
  return figures;
}
