// Step: find the commit that last changed what Argo CD applies for the environment (its folder, minus the release
// record the Application excludes): the revision Argo CD must have synced before anything about the release is
// judged. A verdict commit changes only the record, so Argo CD never runs a sync for it and must not be waited on.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { RELEASE_RECORD_FILE } from '../../cdk8s/release-record';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, failed, succeeded } from './step';

export const findRevision = defineStep({
  name: 'find-revision',
  input: z.strictObject({ workspace: workspaceSchema, env: z.enum(ENVIRONMENT_NAMES) }),
  async run({ workspace, env }) {
    const folder = workspace.envPath(env);
    const manifests = [folder, `:(exclude)${folder}/${RELEASE_RECORD_FILE}`];
    const sha = (await workspace.git(['log', '-1', '--format=%H', 'HEAD', '--', ...manifests])).trim();
    if (!sha) return failed(`no commit has touched the manifests in ${folder}`);
    return succeeded(sha, sha.slice(0, 12));
  },
});
