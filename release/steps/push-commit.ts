// Step: publish the commit; rebases onto a moved remote head, stops on a real conflict.
import { z } from 'zod';
import { pushWithRebase } from '../gitops/push';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, errored, failed, succeeded } from './step';

export const pushCommit = defineStep({
  name: 'push-commit',
  input: z.strictObject({
    workspace: workspaceSchema,
    attempts: z.number().int().min(1).max(20).optional(),
    baseDelayMs: z.number().int().min(0).optional(),
  }),
  async run({ workspace, ...options }) {
    const result = await pushWithRebase(workspace, options);
    if (result.kind === 'conflict') return failed(result.message);
    if (result.kind === 'error') return errored(result.message);
    const how = result.rebases ? `after ${result.rebases} rebase(s) onto a moved ${workspace.branch}` : 'fast-forward';
    return succeeded(result.commit, `${result.commit.slice(0, 12)} to ${workspace.branch}, ${how}`);
  },
});
