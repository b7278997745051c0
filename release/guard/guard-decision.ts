// The guard's decisions as pure functions: is the recorded release what the cluster runs, is it old enough to
// judge, what one evaluation's outcome does to the streak of failures, and which verified image a rollback restores.
import type { ReleaseRecord } from '../../cdk8s/release-record';
import type { ClusterState } from '../cluster/cluster-state';
import type { Outcome } from '../gates/outcomes';
import { verifiedImages } from '../record-changes';

/** What one reconcile concluded about an environment's live release. Closed set, least to most severe. */
export const GUARD_VERDICTS = ['skipped', 'healthy', 'held', 'breach'] as const;
export type GuardVerdict = (typeof GUARD_VERDICTS)[number];

export type Liveness =
  | { readonly kind: 'live'; readonly since: Date }
  | { readonly kind: 'wait'; readonly reason: string };

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
  if (app.operationPhase === 'Running') return { kind: 'wait', reason: `Argo CD is applying a change (${app.operationMessage ?? 'operation running'})` };
  const d = state.deployment;
  if (!d) return { kind: 'wait', reason: 'the Deployment is not found' };
  if (!d.images.includes(current.image)) return { kind: 'wait', reason: `the Deployment runs ${d.images.join(', ') || 'no image'}, the record says ${current.image}: not applied yet` };
  if ((d.observedGeneration ?? 0) < (d.generation ?? 0) || d.updated < d.desired) return { kind: 'wait', reason: `rollout of ${current.release} in progress (updated ${d.updated}/${d.desired})` };
  const applied = app.operationFinishedAt ? new Date(app.operationFinishedAt).getTime() : 0;
  return { kind: 'live', since: new Date(Math.max(new Date(current.since).getTime(), Number.isFinite(applied) ? applied : 0)) };
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
 * One evaluation's effect. A pass ends a streak; an undecided evaluation (no data, Prometheus error) neither
 * extends nor ends it, because it is no evidence either way, and it never triggers a rollback.
 */
export function nextStreak(previous: Streak | undefined, image: string, outcome: Outcome, limit: number): StreakStep {
  const failures = previous?.image === image ? previous.failures : 0;
  if (outcome === 'fail') {
    const streak = { image, failures: failures + 1 };
    return { streak, verdict: 'breach', rollback: streak.failures >= limit };
  }
  if (outcome === 'pass') return { streak: { image, failures: 0 }, verdict: 'healthy', rollback: false };
  return { streak: { image, failures }, verdict: 'held', rollback: false };
}

/** The newest verified image that is neither the one running nor marked bad: what a rollback restores. */
export function rollbackTarget(record: ReleaseRecord): string | undefined {
  const bad = new Set(record.bad.map((b) => b.image));
  return verifiedImages(record).find((image) => image !== record.current?.image && !bad.has(image));
}
