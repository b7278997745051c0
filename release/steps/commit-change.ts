// Step: commit the environment's folder in the working copy as one decision. A decided change always changes the
// folder (its record gains a history entry), so nothing staged means the writes went somewhere else: that fails.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, failed, succeeded } from './step';

export const commitChange = defineStep({
  name: 'commit-change',
  input: z.strictObject({
    workspace: workspaceSchema,
    env: z.enum(ENVIRONMENT_NAMES),
    message: z.strictObject({
      subject: z.string().min(1),
      trailers: z.array(z.tuple([z.string().regex(/^[a-z]+$/), z.string().min(1)])),
    }),
  }),
  async run({ workspace, env, message }) {
    await workspace.git(['add', '--all', '--', workspace.envPath(env)]);
    const staged = (await workspace.git(['diff', '--cached', '--name-only'])).trim();
    if (!staged)
      return failed(
        `the decided change left nothing to commit in ${workspace.envPath(env)}: the record was not written where it is committed`,
      );
    const trailers = message.trailers.flatMap(([key, value]) => ['--trailer', `${key}: ${value}`]);
    await workspace.git(['commit', '--quiet', '--no-verify', '--cleanup=strip', '-m', message.subject, ...trailers]);
    const sha = await workspace.head();
    return succeeded(sha, `${sha.slice(0, 12)} ${staged.split('\n').length} file(s)`);
  },
});
