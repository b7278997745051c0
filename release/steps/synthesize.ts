// Step: re-synthesize one environment's manifests in the working copy from its (new) release record.
import { z } from 'zod';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../cdk8s/environments';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, failed, succeeded } from './step';

/**
 * cdk8s/synth.ts's `synthEnvironment`: reads <gitopsDir>/<env>/release.json, rewrites that environment's YAML.
 * What it returns is ignored, except that a promise is awaited.
 */
export type Synthesizer = (env: EnvironmentName, gitopsDir: string) => unknown;

export const synthesize = defineStep({
  name: 'synthesize',
  input: z.strictObject({
    workspace: workspaceSchema,
    env: z.enum(ENVIRONMENT_NAMES),
    synth: z.custom<Synthesizer>((v) => typeof v === 'function', 'a synthesizer function'),
  }),
  async run({ workspace, env, synth }) {
    try {
      await synth(env, workspace.gitopsDir);
    } catch (e) {
      // Synth failing is a defect in the settings or the record, not a glitch: retrying cannot fix it.
      return failed(`synth of ${env} failed: ${(e as Error).message}`);
    }
    return succeeded(workspace.envPath(env));
  },
});
