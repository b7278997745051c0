// One environment's reconcile: read the release record from git and the Application and Deployment from the
// cluster, judge the live release with the same gates as `verify`, and after enough failed evaluations in a row
// roll back through the release tool's own rollback action. Uncertainty of any kind holds, and so does a quiet
// period (too little traffic for the other gates to mean anything); a hold never writes.
import { environment, seconds, type EnvironmentName } from '../../cdk8s/environments';
import type { ReleaseRecord } from '../../cdk8s/release-record';
import type { ActionResult, ReleaseContext } from '../actions/action';
import { rollback } from '../actions/rollback';
import type { ClusterReader } from '../cluster/cluster-reader';
import { analyse, gateFigures, systemClock, type AnalysisReport, type Clock } from '../gates/analysis';
import type { EvidenceRules } from '../gates/evaluator';
import type { MetricsProvider } from '../gates/prometheus-provider';
import { readRecord } from '../gitops/record-store';
import { Workspace } from '../gitops/workspace';
import type { ReleasePolicySpec } from '../../cdk8s/release-policy';
import type { EventReason, EventSink, PolicyRef } from './guard-events';
import {
  judge,
  liveRelease,
  nextStreak,
  rollbackTarget,
  type BlindCause,
  type GuardVerdict,
  type HoldCause,
  type Judgement,
  type Streak,
} from './guard-decision';
import type { GuardMetrics } from './guard-metrics';
import { policySlo } from './guard-settings';

/** The structured log the guard writes (pino's shape). */
export interface GuardLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ReconcileDeps {
  /** The release tool's context: where the gitops repository is, the synthesizer, the actor, push retries. */
  readonly release: ReleaseContext;
  readonly reader: ClusterReader;
  readonly provider: MetricsProvider;
  readonly events: EventSink;
  readonly metrics: GuardMetrics;
  readonly log: GuardLog;
  /** Asked again right before every write. */
  readonly isLeader: () => boolean;
  readonly evidence?: Partial<EvidenceRules>;
  /** @default 1000 */
  readonly ingestDelayMs?: number;
  readonly clock?: Clock;
}

export interface ReconcileResult {
  readonly env: EnvironmentName;
  readonly verdict: GuardVerdict;
  readonly reason: string;
  /** Why a held verdict held. */
  readonly hold?: HoldCause;
  /** Set when the guard could not see: the verdict is no evaluation at all. */
  readonly blind?: BlindCause;
  readonly image?: string;
  readonly release?: string;
  readonly failures?: number;
  readonly analysis?: AnalysisReport;
  readonly rollback?: ActionResult;
  /** The verified image the rollback restored (or would have). */
  readonly rollbackTo?: string;
  /** When the release went live. */
  readonly since?: Date;
  /** True when the release is live but still inside its analysis window. */
  readonly inWindow?: boolean;
  /** The newest image that passed `release verify` in the environment. */
  readonly lastVerifiedImage?: string;
}

/** The ReleasePolicy an evaluation follows: its spec and the object Events are recorded on. */
export interface ActivePolicy {
  readonly spec: ReleasePolicySpec;
  readonly ref: PolicyRef;
}

const EVENT_OF: Record<Exclude<GuardVerdict, 'skipped'>, { reason: EventReason; type: 'Normal' | 'Warning' }> = {
  healthy: { reason: 'ReleaseHealthy', type: 'Normal' },
  held: { reason: 'ReleaseHeld', type: 'Warning' },
  breach: { reason: 'ReleaseBreach', type: 'Warning' },
};

/** Holds that are expected and need no one: reported as Normal Events. A guard that cannot see warns. */
const NORMAL_HOLDS: ReadonlySet<HoldCause> = new Set(['low-traffic']);

async function readRecordOnce(ctx: ReleaseContext, env: EnvironmentName): Promise<ReleaseRecord> {
  const ws = await Workspace.open({
    gitops: ctx.gitops,
    ...(ctx.branch ? { branch: ctx.branch } : {}),
    readOnly: true,
  });
  try {
    return await readRecord(ws, env);
  } finally {
    await ws.dispose();
  }
}

export class EnvironmentReconciler {
  private streak: Streak | undefined;
  /** The last verdict reported as an Event, so a steady state is reported once, not every interval. */
  private reported = '';

  constructor(
    readonly env: EnvironmentName,
    private readonly deps: ReconcileDeps,
  ) {}

  async reconcile(policy: ActivePolicy): Promise<ReconcileResult> {
    const result = await this.evaluate(policy);
    const clock = this.deps.clock ?? systemClock;
    this.deps.metrics.evaluated(this.env, result.verdict, clock.now(), result.hold);
    const fields = {
      env: this.env,
      verdict: result.verdict,
      hold: result.hold,
      release: result.release,
      image: result.image,
      failures: result.failures,
      reason: result.reason,
    };
    const expected =
      result.verdict !== 'breach' &&
      (result.verdict !== 'held' || (result.hold !== undefined && NORMAL_HOLDS.has(result.hold)));
    if (!expected) this.deps.log.warn(fields, 'release evaluated');
    else this.deps.log.info(fields, 'release evaluated');
    if (result.verdict !== 'skipped') await this.report(result, policy.ref);
    return result;
  }

  private async evaluate(policy: ActivePolicy): Promise<ReconcileResult> {
    const { deps, env } = this;
    const settings = environment(env);
    const clock = deps.clock ?? systemClock;
    let record: ReleaseRecord;
    try {
      record = await readRecordOnce(deps.release, env);
    } catch (e) {
      return {
        env,
        verdict: 'held',
        hold: 'read-error',
        blind: 'gitops-unreadable',
        reason: `cannot read the release record: ${(e as Error).message.split('\n')[0]}`,
      };
    }
    const current = record.current;
    if (!current) return { env, verdict: 'skipped', reason: `nothing is deployed in ${env}` };
    const base = {
      env,
      image: current.image,
      release: current.release,
      ...(record.lastVerified ? { lastVerifiedImage: record.lastVerified.image } : {}),
    };
    const read = await deps.reader.read({ env, namespace: settings.namespace, release: current.release });
    if (read.kind === 'error')
      return {
        ...base,
        verdict: 'held',
        hold: 'read-error',
        blind: 'cluster-unreadable',
        reason: read.error,
        failures: this.failuresOf(current.image),
      };
    const live = liveRelease(record, read.state);
    if (live.kind === 'wait') return { ...base, verdict: 'skipped', reason: live.reason };
    const slo = policySlo(settings.slo, policy.spec);
    const limit = policy.spec.rollback.afterFailedEvaluations;
    const ageMs = clock.now().getTime() - live.since.getTime();
    if (ageMs < seconds(slo.window) * 1000) {
      return {
        ...base,
        since: live.since,
        inWindow: true,
        verdict: 'skipped',
        reason: `live for ${Math.round(ageMs / 1000)} s, less than the ${slo.window} analysis window: verify judges it first`,
      };
    }

    const analysis = await analyse({
      scope: { namespace: settings.namespace, release: current.release },
      slo,
      liveSince: live.since,
      provider: deps.provider,
      ...(deps.evidence ? { evidence: deps.evidence } : {}),
      ingestDelayMs: deps.ingestDelayMs ?? 1000,
      clock,
    });
    // The guard's policy over the gates' verdicts: a quiet period or missing evidence holds, only a measured breach counts.
    const judgement = judge(analysis);
    const step = nextStreak(this.streak, current.image, judgement.verdict, limit);
    this.streak = step.streak;
    const judged = {
      ...base,
      since: live.since,
      verdict: step.verdict,
      ...(judgement.verdict === 'held' ? { hold: judgement.hold } : {}),
      ...(judgement.verdict === 'held' && judgement.hold === 'metrics-error' ? { blind: 'prometheus' as const } : {}),
      failures: step.streak.failures,
      analysis,
    };
    const reason =
      step.verdict === 'breach'
        ? `failed evaluation ${step.streak.failures} of ${limit}: ${judgement.reason}`
        : judgement.reason;
    if (!step.rollback) return { ...judged, reason };
    if (!deps.isLeader()) return { ...judged, reason: `${reason}; not the leader any more, nothing written` };
    const to = rollbackTarget(record);
    return {
      ...judged,
      reason,
      rollback: await this.rollBack(record, analysis, judgement, limit, to, policy),
      ...(to ? { rollbackTo: to } : {}),
    };
  }

  /** The release tool's own rollback: re-reads the record and writes only if the environment still runs the image. */
  private async rollBack(
    record: ReleaseRecord,
    analysis: AnalysisReport,
    judgement: Judgement,
    limit: number,
    to: string | undefined,
    policy: ActivePolicy,
  ): Promise<ActionResult> {
    const { deps, env } = this;
    const image = record.current!.image;
    const why = `release guard: ${limit} consecutive failed evaluations of ${record.current!.release}; last: ${judgement.reason}`;
    const result: ActionResult = to
      ? await rollback(deps.release, {
          env,
          to,
          reason: why,
          figures: gateFigures(analysis),
          expectCurrent: image,
          markBad: true,
        })
      : {
          action: 'rollback',
          outcome: 'fail',
          summary: `no verified image other than ${record.current!.release} to roll back to in ${env}`,
          steps: [],
        };
    if (result.commit) this.streak = undefined;
    deps.metrics.rolledBack(env, result.commit ? 'committed' : 'not-done');
    const fields = { env, image, to, outcome: result.outcome, commit: result.commit, summary: result.summary };
    if (result.commit) deps.log.warn(fields, 'rollback committed');
    else deps.log.error(fields, 'rollback not done');
    if (deps.isLeader()) {
      await deps.events.emit(
        result.commit
          ? {
              env,
              policy: policy.ref,
              reason: 'RollbackCommitted',
              type: 'Warning',
              action: 'Rollback',
              note: `${result.summary} (commit ${result.commit}); ${image} marked bad. ${why}`,
            }
          : {
              env,
              policy: policy.ref,
              reason: 'RollbackNotDone',
              type: 'Warning',
              action: 'Rollback',
              note: `${result.summary}. ${why}`,
            },
      );
    }
    return result;
  }

  private failuresOf(image: string): number {
    return this.streak?.image === image ? this.streak.failures : 0;
  }

  private async report(r: ReconcileResult, policy: PolicyRef): Promise<void> {
    const key = `${r.verdict}|${r.hold ?? ''}|${r.image ?? ''}`;
    // A breach is reported every time (each is a step towards a rollback); a steady verdict once.
    if (key === this.reported && r.verdict !== 'breach') return;
    if (!this.deps.isLeader()) return;
    this.reported = key;
    const e = EVENT_OF[r.verdict as Exclude<GuardVerdict, 'skipped'>];
    const type = r.hold && NORMAL_HOLDS.has(r.hold) ? 'Normal' : e.type;
    const note = `${r.release ?? ''}: ${r.hold ? `held (${r.hold}): ` : ''}${r.reason}`;
    await this.deps.events.emit({ env: this.env, policy, reason: e.reason, type, action: 'Evaluate', note });
  }
}
