// Polls the cluster until the checks pass, a check fails, or the timeout passes; never judges metrics of a
// revision Argo CD has not applied yet. A read error keeps polling; at the timeout it makes the run undecidable.
// Each time what it waits for changes, it says so (verify prints it), so a slow sync is never a silent pause.
import { applicationName } from '../../cdk8s/names';
import type { Clock } from '../gates/analysis';
import { systemClock } from '../gates/analysis';
import type { Outcome } from '../gates/outcomes';
import { appliedBy, clusterOutcome, judgeCluster, type CheckResult } from './cluster-checks';
import type { RevisionRelation } from './cluster-state';
import type { ClusterReader, ClusterTarget } from './cluster-reader';

export interface ClusterWaitInput {
  readonly reader: ClusterReader;
  readonly target: ClusterTarget;
  readonly image: string;
  readonly revision: string;
  /** How the revision of Argo CD's operation relates to `revision` (git ancestry). */
  readonly relate: (operationRevision: string | undefined) => Promise<RevisionRelation>;
  /** Told what the wait is waiting for, whenever that changes. */
  readonly onWait?: (waitingFor: string) => void;
  /** @default 600_000 */
  readonly timeoutMs?: number;
  /** @default 5_000 */
  readonly pollMs?: number;
  readonly clock?: Clock;
}

export interface ClusterReport {
  readonly outcome: Outcome;
  readonly checks: readonly CheckResult[];
  readonly polls: number;
  readonly waitedMs: number;
  /** When Argo CD's sync of this revision finished: the earliest the release's metrics mean anything. */
  readonly appliedAt?: Date;
  readonly reason: string;
}

export async function waitForCluster(input: ClusterWaitInput): Promise<ClusterReport> {
  const clock = input.clock ?? systemClock;
  const started = clock.now().getTime();
  const timeoutMs = input.timeoutMs ?? 600_000;
  let polls = 0;
  let told = '';
  const waiting = (what: string) => {
    if (what !== told) input.onWait?.(what);
    told = what;
  };
  for (;;) {
    polls += 1;
    const read = await input.reader.read(input.target);
    const waitedMs = clock.now().getTime() - started;
    const timedOut = waitedMs >= timeoutMs;
    if (read.kind === 'error') {
      if (timedOut) return { outcome: 'error', checks: [], polls, waitedMs, reason: read.error };
      waiting(`the Kubernetes API (${read.error})`);
    } else {
      const app = read.state.application;
      const relation = await input.relate(app?.operation?.revision);
      const checks = judgeCluster(read.state, {
        application: applicationName(input.target.env),
        image: input.image,
        release: input.target.release,
        revision: input.revision,
        relation,
      });
      const outcome = clusterOutcome(checks);
      if (outcome !== 'inconclusive' || timedOut) {
        const deciders = checks
          .filter((c) => c.outcome === outcome)
          .map((c) => `${c.check}: ${c.detail}`)
          .join('; ');
        // The window starts when this revision's sync finished, never at some other operation's end.
        const finished = appliedBy(app, relation) ? app?.operation?.finishedAt : undefined;
        return {
          outcome,
          checks,
          polls,
          waitedMs,
          ...(finished ? { appliedAt: new Date(finished) } : {}),
          reason:
            outcome === 'pass'
              ? 'Argo CD applied the revision, the rollout is complete, no restarts'
              : `${deciders}${outcome === 'inconclusive' ? ` (still so after ${Math.round(waitedMs / 1000)} s)` : ''}`,
        };
      }
      waiting(
        checks
          .filter((c) => c.outcome === 'inconclusive')
          .map((c) => `${c.check}: ${c.detail}`)
          .join('; '),
      );
    }
    await clock.sleep(Math.min(input.pollMs ?? 5_000, Math.max(0, timeoutMs - waitedMs)));
  }
}
