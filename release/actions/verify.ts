// `verify`: judge the release an environment runs — cluster first (Argo CD applied it, rollout complete, no
// restarts), then the SLO gates over the analysis window — and record a decisive verdict as one commit.
// An undecided run (infrastructure error, no data held) writes nothing.
import { environment, type EnvironmentName, type Slo } from '../../cdk8s/environments';
import type { ClusterReport } from '../cluster/cluster-wait';
import type { ClusterReader } from '../cluster/cluster-reader';
import type { RevisionRelation } from '../cluster/cluster-state';
import { gateFigures, type AnalysisReport, type Clock } from '../gates/analysis';
import type { EvidenceRules } from '../gates/evaluator';
import type { MetricsProvider } from '../gates/prometheus-provider';
import { REMOTE, type Workspace } from '../gitops/workspace';
import { checkCluster } from '../steps/check-cluster';
import { decide } from '../steps/decide';
import { findRevision } from '../steps/find-revision';
import { measureGates } from '../steps/measure-gates';
import { openWorkspace } from '../steps/open-workspace';
import { readRecord } from '../steps/read-record';
import type { StepRunner } from '../steps/step';
import { decisionTime, runAction, type ActionResult, type ReleaseContext } from './action';
import { publishChange } from './publish-change';

export interface VerifyInput {
  readonly env: EnvironmentName;
  readonly provider: MetricsProvider;
  readonly cluster: ClusterReader;
  /** Replaces parts of the environment's SLO (tests shorten the window). */
  readonly slo?: Partial<Slo>;
  readonly evidence?: Partial<EvidenceRules>;
  /** @default 600_000 */
  readonly clusterTimeoutMs?: number;
  /** @default 5_000 */
  readonly pollMs?: number;
  readonly clock?: Clock;
  /** Told what the cluster check waits for, whenever that changes (the CLI prints it). */
  readonly onWait?: (waitingFor: string) => void;
}

export interface VerifyDetail {
  readonly env: EnvironmentName;
  readonly image: string;
  readonly release: string;
  readonly revision: string;
  readonly cluster: ClusterReport;
  readonly analysis?: AnalysisReport;
}

/** Git ancestry of Argo CD's revision against the pushed one, fetching once if the workspace has not seen it. */
function relation(ws: Workspace, pushed: string): (rev: string | undefined) => Promise<RevisionRelation> {
  return async (rev) => {
    if (!rev || !/^[0-9a-f]{40}$/.test(rev)) return 'unknown';
    if (rev === pushed) return 'same';
    const known = () =>
      ws.git(['cat-file', '-e', `${rev}^{commit}`]).then(
        () => true,
        () => false,
      );
    if (!(await known())) {
      await ws.git(['fetch', '--quiet', REMOTE, `refs/heads/${ws.branch}`]).catch(() => undefined);
      if (!(await known())) return 'unknown';
    }
    return ws.git(['merge-base', '--is-ancestor', pushed, rev]).then(
      () => 'descendant' as const,
      () => 'older-or-unrelated' as const,
    );
  };
}

async function record(
  run: StepRunner,
  ctx: ReleaseContext,
  workspace: Workspace,
  env: EnvironmentName,
  input: { image: string; outcome: 'passed' | 'failed'; reason: string; figures: Record<string, number | null> },
) {
  const record = await run.do(readRecord, { workspace, env });
  const decided = await run.do(decide, {
    action: 'verify',
    record,
    ...input,
    at: decisionTime(ctx),
    actor: ctx.actor,
  });
  return publishChange(run, ctx, workspace, env, decided);
}

export function verify(ctx: ReleaseContext, input: VerifyInput): Promise<ActionResult<VerifyDetail>> {
  return runAction<VerifyDetail>('verify', async (run, onExit) => {
    const env = environment(input.env);
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch });
    onExit(() => workspace.dispose());
    const current = (await run.do(readRecord, { workspace, env: input.env })).current;
    if (!current) return run.stop('read-record', 'failed', `nothing is deployed in ${input.env}`);
    const revision = await run.do(findRevision, { workspace, env: input.env });
    const target = { env: input.env, namespace: env.namespace, release: current.release };
    const cluster = await run.do(checkCluster, {
      reader: input.cluster,
      target,
      image: current.image,
      revision,
      relate: relation(workspace, revision),
      timeoutMs: input.clusterTimeoutMs ?? 600_000,
      pollMs: input.pollMs ?? 5_000,
      clock: input.clock,
      onWait: input.onWait,
    });
    const base = { env: input.env, image: current.image, release: current.release, revision, cluster };
    let analysis: AnalysisReport | undefined;
    if (cluster.outcome === 'pass') {
      const slo = { ...env.slo, ...input.slo };
      const since = Math.max(new Date(current.since).getTime(), cluster.appliedAt?.getTime() ?? 0);
      analysis = await run.do(measureGates, {
        scope: { namespace: env.namespace, release: current.release },
        slo,
        liveSince: new Date(since),
        provider: input.provider,
        evidence: input.evidence,
        clock: input.clock,
      });
    }
    const outcome = analysis?.outcome ?? cluster.outcome;
    const reason = analysis ? analysis.reason : `cluster: ${cluster.reason}`;
    const detail: VerifyDetail = { ...base, ...(analysis ? { analysis } : {}) };
    if (outcome !== 'pass' && outcome !== 'fail') {
      return {
        outcome,
        summary: `verify ${input.env} ${current.release}: undecided (${outcome}), nothing written: ${reason}`,
        detail,
      };
    }
    // A failure that rests only on "no data counts as failure" blocks the release but is no evidence against the
    // image: it is reported (exit 1) and nothing is written, so the image is not marked bad.
    const evidence =
      cluster.outcome === 'fail' ||
      (analysis?.gates ?? []).some((g) => g.verdict.outcome === 'fail' && g.verdict.counts.fail > 0);
    if (outcome === 'fail' && !evidence) {
      return {
        outcome,
        summary: `verify ${input.env} ${current.release}: failed on missing data, nothing written: ${reason}`,
        detail,
      };
    }
    const figures = analysis ? gateFigures(analysis) : {};
    const commit = await record(run, ctx, workspace, input.env, {
      image: current.image,
      outcome: outcome === 'pass' ? 'passed' : 'failed',
      reason,
      figures,
    });
    return {
      outcome,
      summary: `verify ${input.env} ${current.release}: ${outcome === 'pass' ? 'passed' : 'failed'}: ${reason}`,
      commit,
      detail,
    };
  });
}
