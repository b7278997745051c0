// The cluster checks, pure: Argo CD applied the pushed revision, synced, its last operation succeeded and it is
// Healthy; the rollout is complete with exactly the recorded image; no container of the release restarted.
// Waiting states (not applied yet, mid-rollout) are inconclusive; evidence of a bad release is a failure.
import { worst, type Outcome } from '../gates/outcomes';
import type { ClusterState, RevisionRelation } from './cluster-state';

export interface ClusterExpectation {
  readonly application: string;
  readonly image: string;
  readonly release: string;
  /** The commit that last changed the environment's folder. */
  readonly revision: string;
  /** How Argo CD's synced revision relates to it (worked out with git by the caller). */
  readonly relation: RevisionRelation;
}

export interface CheckResult {
  readonly check:
    'argocd-revision' | 'argocd-sync' | 'argocd-operation' | 'argocd-health' | 'rollout' | 'image' | 'restarts';
  readonly outcome: Outcome;
  readonly detail: string;
}

const short = (sha?: string) => (sha ? sha.slice(0, 12) : 'none');

export function judgeCluster(state: ClusterState, expected: ClusterExpectation): CheckResult[] {
  const app = state.application;
  const d = state.deployment;
  const checks: CheckResult[] = [];
  if (!app) {
    checks.push({
      check: 'argocd-revision',
      outcome: 'inconclusive',
      detail: `Application ${expected.application} not found`,
    });
  } else {
    const applied = expected.relation === 'same' || expected.relation === 'descendant';
    checks.push({
      check: 'argocd-revision',
      outcome: applied ? 'pass' : 'inconclusive',
      detail: applied
        ? `synced revision ${short(app.syncRevision)} contains ${short(expected.revision)}`
        : `Argo CD is at ${short(app.syncRevision)}, which does not contain ${short(expected.revision)} yet (${expected.relation})`,
    });
    checks.push({
      check: 'argocd-sync',
      outcome: app.syncStatus === 'Synced' ? 'pass' : 'inconclusive',
      detail: `sync status ${app.syncStatus ?? 'unknown'}`,
    });
    const phase = app.operationPhase;
    const opFailed = phase === 'Failed' || phase === 'Error';
    checks.push({
      check: 'argocd-operation',
      // A failed sync of an older revision says nothing about this one: only judge once the revision is applied.
      outcome: phase === 'Succeeded' ? 'pass' : opFailed && applied ? 'fail' : 'inconclusive',
      detail: `last operation ${phase ?? 'none'}${app.operationMessage ? `: ${app.operationMessage}` : ''}`,
    });
    const health = app.healthStatus;
    checks.push({
      check: 'argocd-health',
      outcome: health === 'Healthy' ? 'pass' : health === 'Degraded' && applied ? 'fail' : 'inconclusive',
      detail: `health ${health ?? 'unknown'}${app.healthMessage ? `: ${app.healthMessage}` : ''}`,
    });
  }
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
    const settled = rollout.outcome === 'pass' && checks.find((c) => c.check === 'argocd-revision')?.outcome === 'pass';
    checks.push({
      check: 'image',
      outcome: hasImage ? 'pass' : settled ? 'fail' : 'inconclusive',
      detail: hasImage
        ? `runs ${expected.image}`
        : `runs ${d.images.join(', ') || 'no image'}, expected ${expected.image}`,
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
