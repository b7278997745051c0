// The guard controller: one Lease elector, the ReleasePolicy informers, and one reconcile loop per watched
// environment. Each loop follows its environment's ReleasePolicy — every spec.interval, and at once when the policy
// changes — evaluates the live release with it and writes what it saw to the policy's status. Only the leader
// evaluates and writes (status, Events, commits); a suspended policy gets nothing written at all. Stopping lets an
// in-flight reconcile finish, then hands the Lease back.
import { environment, seconds, type EnvironmentName } from '../../cdk8s/environments';
import { parseReleasePolicySpec, type ReleasePolicy, type ReleasePolicySpec } from '../../cdk8s/release-policy';
import { durationMs } from '../../contract/duration';
import { systemClock } from '../gates/analysis';
import { GuardSight } from './guard-sight';
import { LeaseElector, type LeaseApi } from './leader-election';
import { nextStatus, notReadyStatus, observationOf } from './policy-status';
import type { PolicyStatusWriter } from './policy-status-writer';
import { EnvironmentReconciler, type ReconcileDeps, type ReconcileResult } from './reconcile';
import type { GuardSettings } from './guard-settings';
import type { Probes } from './guard-server';

/** The cached ReleasePolicies of the watched environments' namespaces (policy-informer.ts in production). */
export interface PolicySource {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once the environment's namespace was listed: before that, no policy means nothing yet. */
  hasSynced(env: EnvironmentName): boolean;
  policies(env: EnvironmentName): readonly ReleasePolicy[];
}

export interface GuardDeps extends Omit<ReconcileDeps, 'isLeader'> {
  readonly settings: GuardSettings;
  readonly leases: LeaseApi;
  /** Builds the policy source; `onChange` is called with an environment whose policies changed. */
  readonly policies: (onChange: (env: EnvironmentName) => void) => PolicySource;
  readonly statusWriter: Pick<PolicyStatusWriter, 'write'>;
  /** Called after every reconcile and its status write (tests and logs follow the guard through it). */
  readonly onReconcile?: (result: ReconcileResult) => void;
  /** How long an environment without a usable policy waits before looking again (a policy event cuts it short). @default 30_000 */
  readonly idleMs?: number;
}

/** What the guard makes of an environment's policies: the one it follows, and the ones it refuses, with why. */
interface PolicyChoice {
  readonly active?: { readonly object: ReleasePolicy; readonly spec: ReleasePolicySpec };
  readonly refused: readonly { readonly object: ReleasePolicy; readonly reason: string; readonly message: string }[];
}

export class ReleaseGuard implements Probes {
  readonly elector: LeaseElector;
  private readonly source: PolicySource;
  private readonly reconcilers = new Map<EnvironmentName, EnvironmentReconciler>();
  private readonly timers = new Map<EnvironmentName, NodeJS.Timeout>();
  private readonly running = new Map<EnvironmentName, Promise<void>>();
  /** Environments whose policy changed while their reconcile ran: they go again as soon as it ends. */
  private readonly changedMeanwhile = new Set<EnvironmentName>();
  private readonly lastTick = new Map<EnvironmentName, number>();
  /** The last "nothing to follow" or "suspended" logged per environment, so a steady state is logged once. */
  private readonly quiet = new Map<EnvironmentName, string>();
  /** What the leader could evaluate: blind for longer than an environment's window (or two intervals) is not ready. */
  private readonly sight: GuardSight;
  private stopped = false;

  constructor(private readonly deps: GuardDeps) {
    const { settings, log, metrics } = deps;
    this.sight = new GuardSight(settings.environments, (env) =>
      Math.max(seconds(this.windowOf(env)) * 1000, 2 * this.intervalOf(env)),
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
    for (const env of settings.environments)
      this.reconcilers.set(env, new EnvironmentReconciler(env, { ...deps, isLeader }));
    this.source = deps.policies((env) => this.policyChanged(env));
  }

  start(): void {
    this.elector.start();
    void this.source.start();
    for (const env of this.reconcilers.keys()) this.schedule(env, 0);
  }

  /** A policy was added, changed or deleted: reconcile now rather than at the end of the interval. */
  private policyChanged(env: EnvironmentName): void {
    if (this.stopped || !this.reconcilers.has(env)) return;
    if (this.running.has(env)) this.changedMeanwhile.add(env);
    else this.schedule(env, 0);
  }

  private schedule(env: EnvironmentName, delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(env));
    this.timers.set(
      env,
      setTimeout(() => {
        const run = this.tick(env).finally(() => {
          this.running.delete(env);
          const again = this.changedMeanwhile.delete(env);
          this.schedule(env, again ? 0 : this.intervalOf(env));
        });
        this.running.set(env, run);
      }, delayMs),
    );
  }

  /** The policy an environment follows: the first by name whose spec is valid and names the environment. */
  private choose(env: EnvironmentName): PolicyChoice {
    const refused: PolicyChoice['refused'][number][] = [];
    let active: PolicyChoice['active'];
    for (const object of this.source.policies(env)) {
      let spec: ReleasePolicySpec;
      try {
        spec = parseReleasePolicySpec(
          object.spec,
          `ReleasePolicy ${object.metadata.namespace}/${object.metadata.name}`,
        );
      } catch (e) {
        refused.push({ object, reason: 'InvalidSpec', message: (e as Error).message.slice(0, 2000) });
        continue;
      }
      if (spec.environment !== env)
        refused.push({
          object,
          reason: 'EnvironmentMismatch',
          message: `spec.environment is '${spec.environment}', but namespace ${object.metadata.namespace} is environment '${env}'s`,
        });
      else if (active)
        refused.push({
          object,
          reason: 'Duplicate',
          message: `ReleasePolicy '${active.object.metadata.name}' already guards ${env}: one policy per environment`,
        });
      else active = { object, spec };
    }
    return { ...(active ? { active } : {}), refused };
  }

  private intervalOf(env: EnvironmentName): number {
    const spec = this.choose(env).active?.spec;
    return spec ? durationMs(spec.interval) : (this.deps.idleMs ?? 30_000);
  }

  private windowOf(env: EnvironmentName): string {
    return this.choose(env).active?.spec.analysis.window ?? environment(env).slo.window;
  }

  private logOnce(env: EnvironmentName, message: string, fields: object = {}): void {
    if (this.quiet.get(env) === message) return;
    this.quiet.set(env, message);
    this.deps.log.info({ env, ...fields }, message);
  }

  private async tick(env: EnvironmentName): Promise<void> {
    this.lastTick.set(env, Date.now());
    // Followers evaluate nothing: every verdict may lead to a write, and only the leader writes.
    if (!this.elector.isLeader()) return;
    // Not listed yet (or the list keeps failing, which the informer logs and the sight reports): nothing to say.
    if (!this.source.hasSynced(env)) return;
    const { metrics } = this.deps;
    const { active, refused } = this.choose(env);
    try {
      for (const r of refused) await this.refuse(r.object, r.reason, r.message);
      if (!active) return this.logOnce(env, 'no ReleasePolicy to follow: nothing is evaluated');
      if (active.spec.suspend) {
        // Not evaluating on purpose is not blindness.
        this.sight.saw(env, { verdict: 'skipped', reason: 'suspended' });
        return this.logOnce(env, 'ReleasePolicy suspended: nothing is evaluated or written', {
          policy: active.object.metadata.name,
        });
      }
      this.quiet.delete(env);
      const { name, namespace, uid } = active.object.metadata;
      const result = await this.reconcilers.get(env)!.reconcile({
        spec: active.spec,
        ref: { name, namespace, ...(typeof uid === 'string' ? { uid } : {}) },
      });
      this.sight.saw(env, result);
      if (result.blind) metrics.reconcileError(env, result.blind);
      await this.report(active.object, result);
      this.deps.onReconcile?.(result);
    } catch (e) {
      this.sight.failed(env, 'exception', (e as Error).message.split('\n')[0]!);
      metrics.reconcileError(env, 'exception');
      this.deps.log.error(
        { env, err: { message: (e as Error).message, stack: (e as Error).stack } },
        'reconcile failed',
      );
    } finally {
      this.lastTick.set(env, Date.now());
      metrics.holding(env, this.sight.holdingSince(env));
    }
  }

  /** Writes what one reconcile saw to the policy's status, for the generation it evaluated. */
  private async report(policy: ReleasePolicy, result: ReconcileResult): Promise<void> {
    if (!this.elector.isLeader()) return;
    const now = (this.deps.clock ?? systemClock).now();
    const generation = policy.metadata.generation ?? 0;
    const observation = observationOf(result);
    await this.write(policy, (current) => nextStatus(current.status, generation, observation, now));
  }

  private async refuse(policy: ReleasePolicy, reason: string, message: string): Promise<void> {
    const now = (this.deps.clock ?? systemClock).now();
    const generation = policy.metadata.generation ?? 0;
    await this.write(policy, (current) => notReadyStatus(current.status, generation, reason, message, now));
  }

  private async write(
    policy: ReleasePolicy,
    compute: Parameters<GuardDeps['statusWriter']['write']>[1],
  ): Promise<void> {
    const { namespace, name } = policy.metadata;
    try {
      const w = await this.deps.statusWriter.write(policy, compute);
      if (w.conflicts)
        this.deps.log.info(
          { policy: `${namespace}/${name}`, conflicts: w.conflicts },
          'status write met a conflict: re-read the policy and wrote again',
        );
    } catch (e) {
      // The verdict stands (and any rollback is committed): a status that could not be written is reported, not retried.
      this.deps.log.warn(
        { policy: `${namespace}/${name}`, err: { message: (e as Error).message.split('\n')[0] } },
        'status write failed',
      );
    }
  }

  healthy(): boolean {
    const now = Date.now();
    return (
      !this.stopped &&
      [...this.reconcilers.keys()].every(
        (env) => now - (this.lastTick.get(env) ?? now) < Math.max(3 * this.intervalOf(env), 120_000),
      )
    );
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
    return `cannot evaluate ${blind.map((b) => `${b.env} for ${Math.round(b.forMs / 1000)} s (${b.cause ? `${b.cause}: ` : ''}${b.reason})`).join('; ')}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.allSettled([...this.running.values()]);
    await this.source.stop();
    await this.elector.stop();
  }
}
