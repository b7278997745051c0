// A release action is a sequence of small named steps. Each step validates its input with a strict schema and
// returns a typed result; the runner stops at the first failed or errored step, so nothing after it runs.
import type { z } from 'zod';

export type StepResult<O> =
  | { readonly status: 'succeeded'; readonly value: O; readonly note?: string }
  /** Nothing to do; the action goes on with the value (e.g. no commit when nothing changed). */
  | { readonly status: 'skipped'; readonly value: O; readonly note: string }
  /** Do not retry: bad input, a refusal, a real conflict. */
  | { readonly status: 'failed'; readonly reason: string }
  /** Retry may help: I/O, an unreachable service. */
  | { readonly status: 'errored'; readonly reason: string };

export interface Step<S extends z.ZodType, O> {
  /** verb-object, e.g. "push-commit" */
  readonly name: string;
  readonly input: S;
  /** A pure step answers at once; a step that does I/O returns a promise. */
  run(input: z.infer<S>): StepResult<O> | Promise<StepResult<O>>;
}

export function defineStep<S extends z.ZodType, O>(step: Step<S, O>): Step<S, O> {
  return step;
}

export const succeeded = <O>(value: O, note?: string): StepResult<O> => ({
  status: 'succeeded',
  value,
  ...(note ? { note } : {}),
});
export const skipped = <O>(value: O, note: string): StepResult<O> => ({ status: 'skipped', value, note });
export const failed = (reason: string): StepResult<never> => ({ status: 'failed', reason });
export const errored = (reason: string): StepResult<never> => ({ status: 'errored', reason });

export interface StepReport {
  readonly step: string;
  readonly status: StepResult<unknown>['status'];
  readonly note?: string;
  readonly ms: number;
}

/** Thrown inside an action when a step fails or errors; the action runner turns it into the action's result. */
export class StepStopped extends Error {
  constructor(
    readonly step: string,
    readonly status: 'failed' | 'errored',
    readonly reason: string,
  ) {
    super(`step ${step} ${status}: ${reason}`);
    this.name = 'StepStopped';
  }
}

export class StepRunner {
  readonly reports: StepReport[] = [];

  /** Stops the action at a named step whose check the action itself made (e.g. "nothing deployed"). */
  stop(step: string, status: 'failed' | 'errored', reason: string): never {
    this.reports.push({ step, status, note: reason, ms: 0 });
    throw new StepStopped(step, status, reason);
  }

  /** Runs one step; returns its value, or throws StepStopped. Input that breaks the schema fails the step. */
  async do<S extends z.ZodType, O>(step: Step<S, O>, input: z.input<S>): Promise<O> {
    const started = Date.now();
    const finish = (status: StepReport['status'], note?: string) =>
      this.reports.push({ step: step.name, status, ...(note ? { note } : {}), ms: Date.now() - started });
    const parsed = step.input.safeParse(input);
    if (!parsed.success) {
      const reason = `invalid input: ${parsed.error.issues.map((i) => `'${i.path.join('.') || '(root)'}' ${i.message}`).join('; ')}`;
      finish('failed', reason);
      throw new StepStopped(step.name, 'failed', reason);
    }
    let result: StepResult<O>;
    try {
      result = await step.run(parsed.data);
    } catch (e) {
      result = errored((e as Error).message);
    }
    if (result.status === 'failed' || result.status === 'errored') {
      finish(result.status, result.reason);
      throw new StepStopped(step.name, result.status, result.reason);
    }
    finish(result.status, result.note);
    return result.value;
  }
}
