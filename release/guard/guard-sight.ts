// Whether the guard can see each environment: when it last evaluated it, why it could not since, and since when its
// verdicts hold. Bookkeeping with an injected clock; the guard feeds it every reconcile and reads it for /readyz and
// its metrics, so a guard that cannot evaluate says so instead of looking busy.
import type { EnvironmentName } from '../../cdk8s/environments';
import type { BlindCause, HoldCause } from './guard-decision';

/** Holds that need no one (a quiet period): they never count as holding on. */
const EXPECTED_HOLDS: ReadonlySet<HoldCause> = new Set(['low-traffic']);

interface Sight {
  lastSeen: number;
  cause?: BlindCause;
  reason?: string;
  holdingSince?: number;
}

export interface Blindness {
  readonly env: EnvironmentName;
  /** Absent when no reconcile has finished at all (a stalled or very slow one). */
  readonly cause?: BlindCause;
  readonly reason: string;
  readonly forMs: number;
}

export class GuardSight {
  private readonly sights = new Map<EnvironmentName, Sight>();

  /** @param limitMs how long an environment may go unevaluated before the guard counts as blind to it */
  constructor(
    envs: readonly EnvironmentName[],
    private readonly limitMs: (env: EnvironmentName) => number,
    private readonly now: () => number = Date.now,
  ) {
    this.reset(envs);
  }

  /** Everyone starts from "seen now": on start, and when this replica starts leading. */
  reset(envs: readonly EnvironmentName[]): void {
    for (const env of envs) this.sights.set(env, { lastSeen: this.now() });
  }

  /** One reconcile's result: an evaluation (whatever its verdict), or a look that could not see. */
  saw(env: EnvironmentName, result: { verdict: string; hold?: HoldCause; blind?: BlindCause; reason: string }): void {
    const s = this.sights.get(env) ?? { lastSeen: this.now() };
    if (result.blind) Object.assign(s, { cause: result.blind, reason: result.reason });
    else Object.assign(s, { lastSeen: this.now(), cause: undefined, reason: undefined });
    const holding = result.verdict === 'held' && !(result.hold && EXPECTED_HOLDS.has(result.hold));
    s.holdingSince = holding ? (s.holdingSince ?? this.now()) : undefined;
    this.sights.set(env, s);
  }

  failed(env: EnvironmentName, cause: BlindCause, reason: string): void {
    this.saw(env, { verdict: 'held', blind: cause, reason });
  }

  /** Environments not evaluated for longer than their limit, with the last reason. */
  blind(): Blindness[] {
    const now = this.now();
    return [...this.sights.entries()]
      .filter(([env, s]) => now - s.lastSeen > this.limitMs(env))
      .map(([env, s]) => ({
        env,
        ...(s.cause ? { cause: s.cause } : {}),
        reason: s.reason ?? 'no reconcile finished',
        forMs: now - s.lastSeen,
      }));
  }

  isBlind(env: EnvironmentName): boolean {
    return this.blind().some((b) => b.env === env);
  }

  holdingSince(env: EnvironmentName): Date | undefined {
    const since = this.sights.get(env)?.holdingSince;
    return since === undefined ? undefined : new Date(since);
  }
}
