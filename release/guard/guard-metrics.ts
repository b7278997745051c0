// The guard's own Prometheus metrics, on a registry of its own: evaluations, verdicts by outcome, rollbacks,
// whether this replica leads, when each environment was last evaluated, and whether the guard can see at all
// (reconcile errors by cause, blind, holding since). Its alerts (cdk8s) query the names in contract/guard.ts.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EnvironmentName } from '../../cdk8s/environments';
import { GUARD_METRICS } from '../../contract/guard';
import type { BlindCause, GuardVerdict, HoldCause } from './guard-decision';

export class GuardMetrics {
  readonly registry = new Registry();
  private readonly evaluations = new Counter({
    name: 'release_guard_evaluations_total',
    help: "Evaluations of an environment's live release against its SLO gates.",
    labelNames: ['env'],
    registers: [this.registry],
  });
  private readonly verdicts = new Counter({
    name: 'release_guard_verdicts_total',
    help: 'Verdicts by outcome: healthy, breach, held (undecided), skipped (not live or too young).',
    labelNames: ['env', 'verdict'],
    registers: [this.registry],
  });
  private readonly holds = new Counter({
    name: 'release_guard_holds_total',
    help: 'Held verdicts by cause: low-traffic (a quiet period, expected), no-data, metrics-error, read-error (the guard cannot see).',
    labelNames: ['env', 'cause'],
    registers: [this.registry],
  });
  private readonly rollbacks = new Counter({
    name: 'release_guard_rollbacks_total',
    help: 'Rollbacks the guard attempted, by result: committed, not-done (refused, nothing to restore, or failed).',
    labelNames: ['env', 'result'],
    registers: [this.registry],
  });
  private readonly leader = new Gauge({
    name: GUARD_METRICS.leader,
    help: '1 while this replica holds the Lease and acts, 0 otherwise.',
    registers: [this.registry],
  });
  private readonly lastEvaluation = new Gauge({
    name: GUARD_METRICS.lastEvaluation,
    help: 'Unix time of the last finished evaluation of an environment.',
    labelNames: ['env'],
    registers: [this.registry],
  });

  private readonly reconcileErrors = new Counter({
    name: GUARD_METRICS.reconcileErrors,
    help: 'Reconciles that could not evaluate, by cause: exception (the reconcile threw), gitops-unreadable, cluster-unreadable, prometheus (measurements errored).',
    labelNames: ['env', 'cause'],
    registers: [this.registry],
  });
  /** Read at each scrape, so the gauge is as current as /readyz, not as the last finished reconcile. */
  private blindness?: () => ReadonlyMap<EnvironmentName, boolean>;
  private readonly blindGauge: Gauge = new Gauge({
    name: GUARD_METRICS.blind,
    help: '1 while the leader has not been able to evaluate an environment for longer than its analysis window.',
    labelNames: ['env'],
    registers: [this.registry],
    collect: () => {
      for (const [env, is] of this.blindness?.() ?? []) this.blindGauge.set({ env }, is ? 1 : 0);
    },
  });
  private readonly holdingSince = new Gauge({
    name: GUARD_METRICS.holdingSince,
    help: 'Unix time the current run of held verdicts (other than a quiet period) began; 0 when not holding.',
    labelNames: ['env'],
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults ?? true) collectDefaultMetrics({ register: this.registry });
    this.leader.set(0);
  }

  evaluated(env: EnvironmentName, verdict: GuardVerdict, at: Date, hold?: HoldCause): void {
    if (verdict !== 'skipped') this.evaluations.inc({ env });
    this.verdicts.inc({ env, verdict });
    if (hold) this.holds.inc({ env, cause: hold });
    this.lastEvaluation.set({ env }, at.getTime() / 1000);
  }

  rolledBack(env: EnvironmentName, result: 'committed' | 'not-done'): void {
    this.rollbacks.inc({ env, result });
  }

  reconcileError(env: EnvironmentName, cause: BlindCause): void {
    this.reconcileErrors.inc({ env, cause });
  }

  /** Where the blind gauge reads its values from at each scrape. */
  watchBlindness(read: () => ReadonlyMap<EnvironmentName, boolean>): void {
    this.blindness = read;
  }

  holding(env: EnvironmentName, since: Date | undefined): void {
    this.holdingSince.set({ env }, since ? since.getTime() / 1000 : 0);
  }

  leading(is: boolean): void {
    this.leader.set(is ? 1 : 0);
  }
}
