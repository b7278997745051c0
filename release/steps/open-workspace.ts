// Step: open a private working copy of the gitops repository (clone or worktree) to make the change in.
import { z } from 'zod';
import { Workspace } from '../gitops/workspace';
import { defineStep, errored, succeeded } from './step';

export const openWorkspace = defineStep({
  name: 'open-workspace',
  input: z.strictObject({
    gitops: z.string().min(1),
    branch: z.string().min(1).optional(),
    folder: z.string().optional(),
    readOnly: z.boolean().optional(),
  }),
  async run(input) {
    try {
      const ws = await Workspace.open(input);
      return succeeded(ws, `${ws.source} at ${(await ws.head()).slice(0, 12)}`);
    } catch (e) {
      return errored(`cannot open the gitops repository ${input.gitops}: ${(e as Error).message}`);
    }
  },
});
