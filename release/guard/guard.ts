// The guard controller: one Lease elector and one reconcile loop per environment. Only the leader reconciles
// (and so only the leader writes: commits, Events); followers keep trying for the Lease. Stopping lets an
// in-flight reconcile finish, then hands the Lease back.
import { environment, seconds, type EnvironmentName } from '../../cdk8s/environments';
import { GuardSight } from './guard-sight';
import { LeaseElector, type LeaseApi } from './leader-election';
import { EnvironmentReconciler, type ReconcileDeps, type ReconcileResult } from './reconcile';
import { guardSlo, type GuardSettings } from './guard-settings';
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
  /** What the leader could evaluate: blind for longer than an environment's window (or two intervals) is not ready. */
  private readonly sight: GuardSight;
  private stopped = false;

  constructor(private readonly deps: GuardDeps) {
    const { settings, log, metrics } = deps;
    this.sight = new GuardSight(settings.environments, (env) =>
      Math.max(seconds(guardSlo(environment(env).slo, settings.slo).window) * 1000, 2 * settings.intervalMs),
    );
    this.elector = new LeaseElector(deps.leases, settings.lease, {
      onChange: (leading) => {
        metrics.leading(leading);
        if (leading) this.sight.reset(settings.environments);
        log.info(
          { identity: settings.lease.identity, lease: `${settings.lease.namespace}/${settings.lease.name}`, leading },
          leading ? 'started leading' : 'stopped leading',
        );
      },
      onError: (message) => log.warn({ identity: settings.lease.identity }, message),
    });
    const isLeader = () => this.elector.isLeader();
    // Only the leader evaluates, so only the leader can be blind.
    metrics.watchBlindness(
      () =>
        new Map(settings.environments.map((env) => [env, this.elector.isLeader() && this.sight.isBlind(env)] as const)),
    );
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
    const { metrics } = this.deps;
    try {
      const result = await r.reconcile();
      this.sight.saw(r.env, result);
      if (result.blind) metrics.reconcileError(r.env, result.blind);
      this.deps.onReconcile?.(result);
    } catch (e) {
      this.sight.failed(r.env, 'exception', (e as Error).message.split('\n')[0]!);
      metrics.reconcileError(r.env, 'exception');
      this.deps.log.error(
        { env: r.env, err: { message: (e as Error).message, stack: (e as Error).stack } },
        'reconcile failed',
      );
    } finally {
      this.lastTick.set(r.env, Date.now());
      metrics.holding(r.env, this.sight.holdingSince(r.env));
    }
  }

  healthy(): boolean {
    const limit = Math.max(3 * this.deps.settings.intervalMs, 120_000);
    const now = Date.now();
    return !this.stopped && this.reconcilers.every((r) => now - (this.lastTick.get(r.env) ?? now) < limit);
  }

  /** Started, reaching the API server, and (when leading) able to evaluate every environment it watches. */
  ready(): boolean {
    return this.notReadyBecause() === undefined;
  }

  notReadyBecause(): string | undefined {
    if (this.stopped) return 'stopping';
    if (!this.elector.reachable) return 'the Kubernetes API (Lease) is unreachable';
    if (!this.elector.isLeader()) return undefined;
    const blind = this.sight.blind();
    if (!blind.length) return undefined;
    return `cannot evaluate ${blind.map((b) => `${b.env} for ${Math.round(b.forMs / 1000)} s (${b.cause}: ${b.reason})`).join('; ')}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.allSettled([...this.inFlight]);
    await this.elector.stop();
  }
}
