// The guard's decisions as pure functions: is the recorded release what the cluster runs, what one analysis says
// about it in the guard's terms (a quiet period holds, never breaches), what that does to the streak of failures,
// and which verified image a rollback restores.
import type { GateName } from '../../cdk8s/environments';
import type { ReleaseRecord } from '../../cdk8s/release-record';
import { FINISHED_PHASES, type ClusterState } from '../cluster/cluster-state';
import { aggregate, type GateVerdict } from '../gates/aggregator';
import type { AnalysisReport, GateReport } from '../gates/analysis';
import type { Evaluation } from '../gates/evaluator';
import { worst } from '../gates/outcomes';
import { verifiedImages } from '../record-changes';

/** What one reconcile concluded about an environment's live release. Closed set, least to most severe. */
export const GUARD_VERDICTS = ['skipped', 'healthy', 'held', 'breach'] as const;
export type GuardVerdict = (typeof GUARD_VERDICTS)[number];

/**
 * Why the guard held instead of deciding. Closed set, so a dashboard or an alert can tell a quiet night (expected)
 * from a guard that cannot see (Prometheus failing, no series, the record or the cluster unreadable).
 */
export const HOLD_CAUSES = ['low-traffic', 'no-data', 'metrics-error', 'read-error'] as const;
export type HoldCause = (typeof HOLD_CAUSES)[number];

/**
 * Why a reconcile could not evaluate: it threw, the gitops repository or the cluster could not be read, or
 * Prometheus answered with errors. Closed set: the label of the reconcile-error metric and the reason /readyz gives.
 */
export const BLIND_CAUSES = ['exception', 'gitops-unreadable', 'cluster-unreadable', 'prometheus'] as const;
export type BlindCause = (typeof BLIND_CAUSES)[number];

/** One analysis in the guard's terms. */
export type Judgement =
  | { readonly verdict: 'healthy'; readonly reason: string }
  | { readonly verdict: 'breach'; readonly reason: string; readonly gate: GateName }
  | { readonly verdict: 'held'; readonly reason: string; readonly hold: HoldCause };

/** The gate whose threshold is a minimum of traffic: it says whether the other gates have evidence, not whether the release is bad. */
const TRAFFIC_GATE: GateName = 'traffic';

interface JudgedGate {
  readonly gate: GateName;
  readonly verdict: GateVerdict;
}

const gateReason = (g: JudgedGate) => `${g.gate}: ${g.verdict.reason} (${g.verdict.rule})`;

/**
 * The guard's policy over the gate engine's verdicts (`verify` keeps the engine's own). A release that is already
 * live is rolled back only on a measured breach of the error ratio or the p99 latency with enough traffic behind it:
 * - the traffic gate failing (a quiet night) holds: it never counts towards a rollback;
 * - an error-ratio or latency measurement taken while traffic was below the minimum is set aside as "no data" (held,
 *   never a failure), and the engine's own aggregator judges what is left, so its streak, limits and minimum
 *   samples still apply.
 */
export function judge(report: AnalysisReport): Judgement {
  const traffic = report.gates.find((g) => g.gate === TRAFFIC_GATE);
  const quiet = new Set((traffic?.evaluations ?? []).filter((e) => e.outcome === 'fail').map((e) => e.at.getTime()));
  const setAside = (e: Evaluation): Evaluation =>
    quiet.has(e.at.getTime()) && e.outcome !== 'error'
      ? { ...e, outcome: 'inconclusive', reason: `${e.reason}, measured while traffic was below its minimum` }
      : e;
  const evidence: JudgedGate[] = report.gates
    .filter((g) => g !== traffic)
    .map((g) => ({
      gate: g.gate,
      verdict: quiet.size
        ? aggregate(g.evaluations.map(setAside), { ...g.policy, noData: 'hold' }, report.minSamples)
        : g.verdict,
    }));

  const breach = evidence.find((g) => g.verdict.outcome === 'fail');
  if (breach) return { verdict: 'breach', gate: breach.gate, reason: gateReason(breach) };
  const tooQuiet = (t: GateReport) => `too little traffic to judge (below the ${t.threshold} ${t.unit} minimum)`;
  if (traffic?.verdict.outcome === 'fail')
    return { verdict: 'held', hold: 'low-traffic', reason: `${tooQuiet(traffic)}: ${gateReason(traffic)}` };

  const gates: JudgedGate[] = [...(traffic ? [traffic] : []), ...evidence];
  const outcome = worst(gates.map((g) => g.verdict.outcome));
  const decider = gates.find((g) => g.verdict.outcome === outcome);
  const reason = decider ? gateReason(decider) : 'no gate was measured';
  if (outcome === 'pass') return { verdict: 'healthy', reason };
  if (outcome === 'error') return { verdict: 'held', hold: 'metrics-error', reason };
  if (traffic && quiet.size) {
    // Name the gate that was left without evidence, not the traffic gate that passed often enough.
    const starved = evidence.find((g) => g.verdict.outcome === outcome) ?? traffic;
    return {
      verdict: 'held',
      hold: 'low-traffic',
      reason: `${tooQuiet(traffic)} at ${quiet.size} of ${traffic.evaluations.length} measurements: ${gateReason(starved)}`,
    };
  }
  return { verdict: 'held', hold: 'no-data', reason };
}

export type Liveness =
  { readonly kind: 'live'; readonly since: Date } | { readonly kind: 'wait'; readonly reason: string };

/**
 * The recorded release is live when the Deployment runs exactly its image with the rollout observed, and Argo CD is
 * not in the middle of an operation (a rollback or a human's change being applied). Judging anything else would
 * judge the wrong release.
 */
export function liveRelease(record: ReleaseRecord, state: ClusterState): Liveness {
  const current = record.current;
  if (!current) return { kind: 'wait', reason: `nothing is deployed in ${record.environment}` };
  const app = state.application;
  if (!app) return { kind: 'wait', reason: 'the Argo CD Application is not found' };
  const op = app.operation;
  if (op && !FINISHED_PHASES.includes(op.phase ?? ''))
    return { kind: 'wait', reason: `Argo CD is applying a change (${op.message ?? `operation ${op.phase}`})` };
  const d = state.deployment;
  if (!d) return { kind: 'wait', reason: 'the Deployment is not found' };
  if (!d.images.includes(current.image))
    return {
      kind: 'wait',
      reason: `the Deployment runs ${d.images.join(', ') || 'no image'}, the record says ${current.image}: not applied yet`,
    };
  if ((d.observedGeneration ?? 0) < (d.generation ?? 0) || d.updated < d.desired)
    return { kind: 'wait', reason: `rollout of ${current.release} in progress (updated ${d.updated}/${d.desired})` };
  const applied = op?.finishedAt ? new Date(op.finishedAt).getTime() : 0;
  return {
    kind: 'live',
    since: new Date(Math.max(new Date(current.since).getTime(), Number.isFinite(applied) ? applied : 0)),
  };
}

/** Failed evaluations in a row of one image; any other image starts from zero. */
export interface Streak {
  readonly image: string;
  readonly failures: number;
}

export interface StreakStep {
  readonly streak: Streak;
  readonly verdict: GuardVerdict;
  /** True when this evaluation brings the streak to the limit. */
  readonly rollback: boolean;
}

/**
 * One judged evaluation's effect. A healthy one ends a streak; a hold (a quiet period, no data, a Prometheus error)
 * neither extends nor ends it, because it is no evidence either way, and it never triggers a rollback.
 */
export function nextStreak(
  previous: Streak | undefined,
  image: string,
  verdict: Judgement['verdict'],
  limit: number,
): StreakStep {
  const failures = previous?.image === image ? previous.failures : 0;
  if (verdict === 'breach') {
    const streak = { image, failures: failures + 1 };
    return { streak, verdict, rollback: streak.failures >= limit };
  }
  return { streak: { image, failures: verdict === 'healthy' ? 0 : failures }, verdict, rollback: false };
}

/** The newest verified image that is neither the one running nor marked bad: what a rollback restores. */
export function rollbackTarget(record: ReleaseRecord): string | undefined {
  const bad = new Set(record.bad.map((b) => b.image));
  return verifiedImages(record).find((image) => image !== record.current?.image && !bad.has(image));
}
