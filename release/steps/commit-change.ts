// Step: commit the environment's folder in the working copy as one decision; nothing staged is nothing to commit.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, skipped, succeeded } from './step';

export const commitChange = defineStep({
  name: 'commit-change',
  input: z.strictObject({ workspace: workspaceSchema, env: z.enum(ENVIRONMENT_NAMES), message: z.string().min(1) }),
  async run({ workspace, env, message }) {
    await workspace.git(['add', '--all', '--', workspace.envPath(env)]);
    const staged = (await workspace.git(['diff', '--cached', '--name-only'])).trim();
    if (!staged) return skipped(undefined as string | undefined, `nothing changed in ${workspace.envPath(env)}`);
    await workspace.git(['commit', '--quiet', '--no-verify', '-m', message]);
    const sha = await workspace.head();
    return succeeded<string | undefined>(sha, `${sha.slice(0, 12)} ${staged.split('\n').length} file(s)`);
  },
});
