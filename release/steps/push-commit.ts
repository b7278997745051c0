// Step: publish the commit; rebases onto a moved remote head. A lost race (the same files changed concurrently)
// moves the working copy to the remote's new head so the action decides again on it, while rounds remain; a
// rewritten remote history stops the action undecided.
import { z } from 'zod';
import { pushWithRebase } from '../gitops/push';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, errored, failed, skipped, succeeded } from './step';

export type PushOutcome = { readonly kind: 'pushed'; readonly commit: string } | { readonly kind: 'lost-race' };

export const pushCommit = defineStep({
  name: 'push-commit',
  input: z.strictObject({
    workspace: workspaceSchema,
    attempts: z.number().int().min(1).max(20).optional(),
    baseDelayMs: z.number().int().min(0).optional(),
    /** Whether the action may decide again after a lost race. */
    redecide: z.boolean(),
  }),
  async run({ workspace, redecide, ...options }) {
    const result = await pushWithRebase(workspace, options);
    if (result.kind === 'rewritten' || result.kind === 'error') return errored(result.message);
    if (result.kind === 'conflict') {
      if (!redecide) return failed(`${result.message}; the race was lost too many times, re-run the decision`);
      await workspace.resetTo(result.remoteHead);
      return skipped<PushOutcome>(
        { kind: 'lost-race' },
        `${result.message}; deciding again on ${result.remoteHead.slice(0, 12)}`,
      );
    }
    const how = result.rebases ? `after ${result.rebases} rebase(s) onto a moved ${workspace.branch}` : 'fast-forward';
    return succeeded<PushOutcome>(
      { kind: 'pushed', commit: result.commit },
      `${result.commit.slice(0, 12)} to ${workspace.branch}, ${how}`,
    );
  },
});
