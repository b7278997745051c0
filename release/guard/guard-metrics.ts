// The guard's own Prometheus metrics, on a registry of its own: evaluations, verdicts by outcome, rollbacks,
// whether this replica leads, and when each environment was last evaluated.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EnvironmentName } from '../../cdk8s/environments';
import type { GuardVerdict, HoldCause } from './guard-decision';

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
    name: 'release_guard_leader',
    help: '1 while this replica holds the Lease and acts, 0 otherwise.',
    registers: [this.registry],
  });
  private readonly lastEvaluation = new Gauge({
    name: 'release_guard_last_evaluation_timestamp_seconds',
    help: 'Unix time of the last finished evaluation of an environment.',
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

  leading(is: boolean): void {
    this.leader.set(is ? 1 : 0);
  }
}
