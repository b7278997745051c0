// Polls the cluster until the checks pass, a check fails, or the timeout passes; never judges metrics of a
// revision Argo CD has not applied yet. A read error keeps polling; at the timeout it makes the run undecidable.
import { applicationName } from '../../cdk8s/names';
import type { Clock } from '../gates/analysis';
import { systemClock } from '../gates/analysis';
import type { Outcome } from '../gates/outcomes';
import { clusterOutcome, judgeCluster, type CheckResult } from './cluster-checks';
import type { RevisionRelation } from './cluster-state';
import type { ClusterReader, ClusterTarget } from './cluster-reader';

export interface ClusterWaitInput {
  readonly reader: ClusterReader;
  readonly target: ClusterTarget;
  readonly image: string;
  readonly revision: string;
  /** How a synced revision relates to `revision` (git ancestry). */
  readonly relate: (syncRevision: string | undefined) => Promise<RevisionRelation>;
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
  /** When Argo CD finished applying the revision: the earliest the release's metrics mean anything. */
  readonly appliedAt?: Date;
  readonly reason: string;
}

export async function waitForCluster(input: ClusterWaitInput): Promise<ClusterReport> {
  const clock = input.clock ?? systemClock;
  const started = clock.now().getTime();
  const timeoutMs = input.timeoutMs ?? 600_000;
  let polls = 0;
  for (;;) {
    polls += 1;
    const read = await input.reader.read(input.target);
    const waitedMs = clock.now().getTime() - started;
    const timedOut = waitedMs >= timeoutMs;
    if (read.kind === 'error') {
      if (timedOut) return { outcome: 'error', checks: [], polls, waitedMs, reason: read.error };
    } else {
      const relation = await input.relate(read.state.application?.syncRevision);
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
        const finished = read.state.application?.operationFinishedAt;
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
    }
    await clock.sleep(Math.min(input.pollMs ?? 5_000, Math.max(0, timeoutMs - waitedMs)));
  }
}
