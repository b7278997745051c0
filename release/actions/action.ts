// What every release action shares: its options, its result, and the runner that turns a stopped step into a
// result naming that step, with the working copy cleaned up whatever happened.
import type { Outcome } from '../gates/outcomes';
import type { Synthesizer } from '../steps/synthesize';
import { StepRunner, StepStopped, type StepReport } from '../steps/step';

export interface ReleaseContext {
  /** Gitops repository: a path inside a working tree (its gitops folder) or a URL. */
  readonly gitops: string;
  readonly branch?: string;
  /** Re-synthesizes one environment (cdk8s/synth.ts in production; tests may pass a failing one). */
  readonly synth: Synthesizer;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Who decides: the pipeline run, a person, the guard. Recorded in history and commit. */
  readonly actor?: string;
  readonly push?: { readonly attempts?: number; readonly baseDelayMs?: number };
}

/** When a decision is made: the context's clock, or the wall clock. */
export function decisionTime(ctx: ReleaseContext): Date {
  return ctx.now ? ctx.now() : new Date();
}

export interface ActionResult<D = unknown> {
  readonly action: 'deploy' | 'verify' | 'promote' | 'rollback' | 'status';
  /** pass: done (or nothing to do); fail: a gate failed or the action was refused; error/inconclusive: undecided. */
  readonly outcome: Outcome;
  readonly summary: string;
  readonly steps: readonly StepReport[];
  /** The step that stopped the action, and why. */
  readonly stoppedAt?: { readonly step: string; readonly status: 'failed' | 'errored'; readonly reason: string };
  /** The pushed commit, when the action wrote one. */
  readonly commit?: string;
  /** Pushes lost to concurrent runs, each followed by a new decision on the new state. */
  readonly racesLost?: number;
  readonly detail?: D;
}

export interface ActionBody<D> {
  readonly outcome?: Outcome;
  readonly summary: string;
  readonly commit?: string;
  readonly racesLost?: number;
  readonly detail?: D;
}

export async function runAction<D>(
  action: ActionResult['action'],
  body: (run: StepRunner, onExit: (cleanup: () => Promise<void>) => void) => Promise<ActionBody<D>>,
): Promise<ActionResult<D>> {
  const run = new StepRunner();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const r = await body(run, (c) => cleanups.push(c));
    return {
      action,
      outcome: r.outcome ?? 'pass',
      summary: r.summary,
      steps: run.reports,
      ...(r.commit ? { commit: r.commit } : {}),
      ...(r.racesLost ? { racesLost: r.racesLost } : {}),
      ...(r.detail !== undefined ? { detail: r.detail } : {}),
    };
  } catch (e) {
    if (!(e instanceof StepStopped)) throw e;
    return {
      action,
      outcome: e.status === 'failed' ? 'fail' : 'error',
      summary: `${action} stopped at step ${e.step} (${e.status}): ${e.reason}`,
      steps: run.reports,
      stoppedAt: { step: e.step, status: e.status, reason: e.reason },
    };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}
