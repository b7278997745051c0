// The tail every writing action shares: write the decided record, re-synthesize, commit as one decision, push.
import type { EnvironmentName } from '../../cdk8s/environments';
import type { Workspace } from '../gitops/workspace';
import { commitMessage } from '../commit-message';
import type { Decided } from '../steps/decide';
import { commitChange } from '../steps/commit-change';
import { pushCommit } from '../steps/push-commit';
import type { StepRunner } from '../steps/step';
import { synthesize } from '../steps/synthesize';
import { writeRecord } from '../steps/write-record';
import type { ActionBody, ReleaseContext } from './action';

/** Returns the pushed commit, or undefined when there was nothing to write. */
export async function publishChange(
  run: StepRunner,
  ctx: ReleaseContext,
  workspace: Workspace,
  env: EnvironmentName,
  decided: Decided,
): Promise<string | undefined> {
  if (decided.kind === 'unchanged') return undefined;
  await run.do(writeRecord, { workspace, record: decided.record });
  await run.do(synthesize, { workspace, env, synth: ctx.synth });
  const sha = await run.do(commitChange, { workspace, env, message: commitMessage(decided.decision) });
  if (!sha) return undefined;
  return run.do(pushCommit, { workspace, ...(ctx.push ?? {}) });
}

/** A writing action's result: the decision and where it applies (e.g. "in dev") with the pushed commit, or why nothing changed. */
export function publishedResult(decided: Decided, where: string, commit: string | undefined): ActionBody<never> {
  return {
    summary:
      decided.kind === 'unchanged' ? decided.note : `${decided.decision.title} ${where}: ${commit?.slice(0, 12)}`,
    commit,
  };
}
