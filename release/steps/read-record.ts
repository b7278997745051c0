// Step: read one environment's release record from the working copy.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { readRecord as read } from '../gitops/record-store';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, failed, succeeded } from './step';

export const readRecord = defineStep({
  name: 'read-record',
  input: z.strictObject({ workspace: workspaceSchema, env: z.enum(ENVIRONMENT_NAMES) }),
  async run({ workspace, env }) {
    try {
      const record = await read(workspace, env);
      return succeeded(record, record.current ? `${env} runs ${record.current.release}` : `${env} has no release yet`);
    } catch (e) {
      // A record that does not parse is a broken repository, not a passing glitch.
      return failed((e as Error).message);
    }
  },
});
