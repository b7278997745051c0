// The tail every writing action shares: decide, write the decided record, re-synthesize, commit as one decision,
// push. A push that loses the race for the same files decides again on the remote's new state (bounded like the
// push retries): a decision is only ever published on the state it was made on.
import type { EnvironmentName } from '../../cdk8s/environments';
import type { Workspace } from '../gitops/workspace';
import { DEFAULT_PUSH_ATTEMPTS } from '../gitops/push';
import { commitMessage } from '../commit-message';
import type { Decision } from '../record-changes';
import type { Decided } from '../steps/decide';
import { commitChange } from '../steps/commit-change';
import { pushCommit } from '../steps/push-commit';
import type { StepRunner } from '../steps/step';
import { synthesize } from '../steps/synthesize';
import { writeRecord } from '../steps/write-record';
import type { ActionBody, ReleaseContext } from './action';

export type Published = (
  | { readonly kind: 'unchanged'; readonly note: string }
  | { readonly kind: 'published'; readonly decision: Decision; readonly commit: string }
) & {
  /** Races lost to concurrent writers, each followed by a new decision on the new state. */
  readonly racesLost: number;
};

/** Decides (reading the records afresh each round) and publishes the change, if any. */
export async function publishChange(
  run: StepRunner,
  ctx: ReleaseContext,
  workspace: Workspace,
  env: EnvironmentName,
  decideOnce: () => Promise<Decided>,
): Promise<Published> {
  const rounds = ctx.push?.attempts ?? DEFAULT_PUSH_ATTEMPTS;
  for (let round = 1; ; round++) {
    const decided = await decideOnce();
    if (decided.kind === 'unchanged') return { kind: 'unchanged', note: decided.note, racesLost: round - 1 };
    await run.do(writeRecord, { workspace, record: decided.record });
    await run.do(synthesize, { workspace, env, synth: ctx.synth });
    await run.do(commitChange, { workspace, env, message: commitMessage(decided.decision) });
    const pushed = await run.do(pushCommit, { workspace, ...(ctx.push ?? {}), redecide: round < rounds });
    if (pushed.kind === 'pushed')
      return { kind: 'published', decision: decided.decision, commit: pushed.commit, racesLost: round - 1 };
  }
}

/** A writing action's result: the decision and where it applies (e.g. "in dev") with the pushed commit, or why nothing changed. */
export function publishedResult(published: Published, where: string): ActionBody<never> {
  const { racesLost } = published;
  if (published.kind === 'unchanged') {
    // A lost race that leaves nothing to do is its own ending: done by another run, not refused.
    const race = racesLost ? `nothing left to do after ${racesLost} lost race(s), another run got there first: ` : '';
    return { summary: `${race}${published.note}`, racesLost };
  }
  const race = racesLost ? ` (decided again after ${racesLost} lost race(s))` : '';
  return {
    summary: `${published.decision.title} ${where}: ${published.commit.slice(0, 12)}${race}`,
    commit: published.commit,
    racesLost,
  };
}
