// Step: find the commit that last changed the environment's folder: the revision Argo CD must have applied
// before anything about the release is judged.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, failed, succeeded } from './step';

export const findRevision = defineStep({
  name: 'find-revision',
  input: z.strictObject({ workspace: workspaceSchema, env: z.enum(ENVIRONMENT_NAMES) }),
  async run({ workspace, env }) {
    const sha = (await workspace.git(['log', '-1', '--format=%H', 'HEAD', '--', workspace.envPath(env)])).trim();
    if (!sha) return failed(`no commit has touched ${workspace.envPath(env)}`);
    return succeeded(sha, sha.slice(0, 12));
  },
});
