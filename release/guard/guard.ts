// The guard controller: one Lease elector and one reconcile loop per environment. Only the leader reconciles
// (and so only the leader writes: commits, Events); followers keep trying for the Lease. Stopping lets an
// in-flight reconcile finish, then hands the Lease back.
import type { EnvironmentName } from '../../cdk8s/environments';
import { LeaseElector, type LeaseApi } from './leader-election';
import { EnvironmentReconciler, type ReconcileDeps, type ReconcileResult } from './reconcile';
import type { GuardSettings } from './guard-settings';
import type { Probes } from './guard-server';

export interface GuardDeps extends Omit<ReconcileDeps, 'isLeader' | 'settings'> {
  readonly settings: GuardSettings;
  readonly leases: LeaseApi;
  /** Called after every reconcile (tests and logs follow the guard through it). */
  readonly onReconcile?: (result: ReconcileResult) => void;
}

export class ReleaseGuard implements Probes {
  readonly elector: LeaseElector;
  private readonly reconcilers: EnvironmentReconciler[];
  private readonly timers = new Map<EnvironmentName, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly lastTick = new Map<EnvironmentName, number>();
  private stopped = false;

  constructor(private readonly deps: GuardDeps) {
    const { settings, log, metrics } = deps;
    this.elector = new LeaseElector(deps.leases, settings.lease, {
      onChange: (leading) => {
        metrics.leading(leading);
        log.info(
          { identity: settings.lease.identity, lease: `${settings.lease.namespace}/${settings.lease.name}`, leading },
          leading ? 'started leading' : 'stopped leading',
        );
      },
      onError: (message) => log.warn({ identity: settings.lease.identity }, message),
    });
    const isLeader = () => this.elector.isLeader();
    this.reconcilers = settings.environments.map(
      (env) => new EnvironmentReconciler(env, { ...deps, isLeader, settings }),
    );
  }

  start(): void {
    this.elector.start();
    for (const r of this.reconcilers) this.schedule(r, 0);
  }

  private schedule(r: EnvironmentReconciler, delayMs: number): void {
    if (this.stopped) return;
    this.timers.set(
      r.env,
      setTimeout(() => {
        const run = this.tick(r).finally(() => {
          this.inFlight.delete(run);
          this.schedule(r, this.deps.settings.intervalMs);
        });
        this.inFlight.add(run);
      }, delayMs),
    );
  }

  private async tick(r: EnvironmentReconciler): Promise<void> {
    this.lastTick.set(r.env, Date.now());
    // Followers evaluate nothing: every verdict may lead to a write, and only the leader writes.
    if (!this.elector.isLeader()) return;
    try {
      const result = await r.reconcile();
      this.deps.onReconcile?.(result);
    } catch (e) {
      this.deps.log.error(
        { env: r.env, err: { message: (e as Error).message, stack: (e as Error).stack } },
        'reconcile failed',
      );
    } finally {
      this.lastTick.set(r.env, Date.now());
    }
  }

  healthy(): boolean {
    const limit = Math.max(3 * this.deps.settings.intervalMs, 120_000);
    const now = Date.now();
    return !this.stopped && this.reconcilers.every((r) => now - (this.lastTick.get(r.env) ?? now) < limit);
  }

  ready(): boolean {
    return !this.stopped && this.elector.reachable;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.allSettled([...this.inFlight]);
    await this.elector.stop();
  }
}
