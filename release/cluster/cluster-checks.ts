// The cluster checks, pure: Argo CD's sync operation of the pushed revision succeeded, the Application is Synced and
// Healthy; the rollout is complete with exactly the recorded image; no container of the release restarted.
// Waiting states (not synced yet, a sync or another operation in flight, mid-rollout) are inconclusive; evidence
// of a bad release (its sync failed, it is Degraded, it runs another image once applied) is a failure.
import { worst, type Outcome } from '../gates/outcomes';
import {
  contains,
  FINISHED_PHASES,
  type ApplicationState,
  type ClusterState,
  type RevisionRelation,
} from './cluster-state';

export interface ClusterExpectation {
  readonly application: string;
  readonly image: string;
  readonly release: string;
  /** The commit that last changed the environment's manifests (what Argo CD syncs; the release record aside). */
  readonly revision: string;
  /** How the revision of Argo CD's current or last operation relates to it (worked out with git by the caller). */
  readonly relation: RevisionRelation;
}

export interface CheckResult {
  readonly check:
    'argocd-revision' | 'argocd-sync' | 'argocd-operation' | 'argocd-health' | 'rollout' | 'image' | 'restarts';
  readonly outcome: Outcome;
  readonly detail: string;
}

const short = (sha?: string) => (sha ? sha.slice(0, 12) : 'none');

/** True once Argo CD's sync of a revision containing the pushed one has succeeded: the only proof it was applied. */
export function appliedBy(app: ApplicationState | undefined, relation: RevisionRelation): boolean {
  return app?.operation?.phase === 'Succeeded' && contains(relation);
}

/** What Argo CD did with the pushed revision: which revision its operation syncs, and how that operation went. */
function argoChecks(app: ApplicationState, expected: ClusterExpectation): CheckResult[] {
  const op = app.operation;
  const ours = contains(expected.relation);
  const compared = `Argo CD compared ${short(app.syncRevision)} (${app.syncStatus ?? 'unknown'})`;
  const message = op?.message ? `: ${op.message}` : '';
  const phase = op?.phase ?? 'unknown';
  const finished = FINISHED_PHASES.includes(phase);
  const revision: CheckResult = ours
    ? {
        check: 'argocd-revision',
        outcome: phase === 'Succeeded' ? 'pass' : 'inconclusive',
        detail: `Argo CD's sync of ${short(op?.revision)} contains ${short(expected.revision)}${phase === 'Succeeded' ? ' and succeeded' : ` (${phase})`}`,
      }
    : {
        check: 'argocd-revision',
        outcome: 'inconclusive',
        detail: `not synced yet: ${op ? `Argo CD's last sync was of ${short(op.revision)}, which does not contain ${short(expected.revision)} (${expected.relation})` : 'Argo CD has run no sync'}; ${compared}`,
      };
  let operation: CheckResult;
  if (!op) operation = { check: 'argocd-operation', outcome: 'inconclusive', detail: 'no operation yet' };
  else if (!finished)
    operation = {
      check: 'argocd-operation',
      outcome: 'inconclusive',
      detail: ours
        ? `sync of ${short(op.revision)} ${phase}${message}`
        : `another operation in flight (sync of ${short(op.revision)} ${phase}${message})`,
    };
  else if (!ours)
    // A failed sync of an older revision says nothing about this one.
    operation = {
      check: 'argocd-operation',
      outcome: 'inconclusive',
      detail: `last operation, of ${short(op.revision)}, ${phase}: not this revision's`,
    };
  else
    operation = {
      check: 'argocd-operation',
      outcome: phase === 'Succeeded' ? 'pass' : 'fail',
      detail: `sync of ${short(op.revision)} ${phase}${message}`,
    };
  const applied = appliedBy(app, expected.relation);
  const health = app.healthStatus;
  return [
    revision,
    operation,
    {
      check: 'argocd-sync',
      outcome: app.syncStatus === 'Synced' ? 'pass' : 'inconclusive',
      detail: `sync status ${app.syncStatus ?? 'unknown'} at ${short(app.syncRevision)}`,
    },
    {
      check: 'argocd-health',
      outcome: health === 'Healthy' ? 'pass' : health === 'Degraded' && applied ? 'fail' : 'inconclusive',
      detail: `health ${health ?? 'unknown'}${app.healthMessage ? `: ${app.healthMessage}` : ''}`,
    },
  ];
}

export function judgeCluster(state: ClusterState, expected: ClusterExpectation): CheckResult[] {
  const app = state.application;
  const d = state.deployment;
  const checks: CheckResult[] = app
    ? argoChecks(app, expected)
    : [{ check: 'argocd-revision', outcome: 'inconclusive', detail: `Application ${expected.application} not found` }];
  const applied = appliedBy(app, expected.relation);
  if (!d) {
    checks.push({ check: 'rollout', outcome: 'inconclusive', detail: 'Deployment not found' });
    checks.push({ check: 'image', outcome: 'inconclusive', detail: 'Deployment not found' });
  } else {
    const counts = `updated ${d.updated}/${d.desired}, ready ${d.ready}/${d.desired}, available ${d.available}/${d.desired}, total ${d.total}`;
    let rollout: CheckResult;
    if (d.progressingReason === 'ProgressDeadlineExceeded')
      rollout = { check: 'rollout', outcome: 'fail', detail: `progress deadline exceeded (${counts})` };
    else if ((d.observedGeneration ?? 0) < (d.generation ?? 0))
      rollout = {
        check: 'rollout',
        outcome: 'inconclusive',
        detail: `generation ${d.generation} not yet observed (at ${d.observedGeneration ?? 'none'})`,
      };
    else if (d.updated === d.desired && d.ready === d.desired && d.available === d.desired && d.total === d.desired)
      rollout = { check: 'rollout', outcome: 'pass', detail: `complete: ${counts}` };
    else rollout = { check: 'rollout', outcome: 'inconclusive', detail: `in progress: ${counts}` };
    checks.push(rollout);
    const hasImage = d.images.includes(expected.image);
    // Another image is evidence only once this revision's sync succeeded and the controller saw the result.
    const observed = (d.observedGeneration ?? 0) >= (d.generation ?? 0);
    const runs = `runs ${d.images.join(', ') || 'no image'}, expected ${expected.image}`;
    checks.push({
      check: 'image',
      outcome: hasImage ? 'pass' : applied && observed ? 'fail' : 'inconclusive',
      detail: hasImage
        ? `runs ${expected.image}`
        : applied
          ? `${runs}${observed ? '' : ` (generation ${d.generation} not yet observed)`}`
          : `${runs}: waiting for Argo CD to apply ${short(expected.revision)}`,
    });
  }
  const restarted = state.pods.flatMap((p) =>
    p.containers.filter((c) => c.restartCount > 0).map((c) => `${p.name}/${c.name} restarted ${c.restartCount}×`),
  );
  checks.push(
    state.pods.length === 0
      ? { check: 'restarts', outcome: 'inconclusive', detail: `no pods of release ${expected.release}` }
      : restarted.length > 0
        ? { check: 'restarts', outcome: 'fail', detail: restarted.join('; ') }
        : {
            check: 'restarts',
            outcome: 'pass',
            detail: `${state.pods.length} pod(s) of release ${expected.release}, no restarts`,
          },
  );
  return checks;
}

export function clusterOutcome(checks: readonly CheckResult[]): Outcome {
  return worst(checks.map((c) => c.outcome));
}
