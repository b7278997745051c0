// Step: write the decided release record into the working copy.
import { z } from 'zod';
import { releaseRecordSchema } from '../../cdk8s/release-record';
import { writeRecord as write, recordPath } from '../gitops/record-store';
import { workspaceSchema } from '../gitops/workspace';
import { defineStep, succeeded } from './step';

export const writeRecord = defineStep({
  name: 'write-record',
  input: z.strictObject({ workspace: workspaceSchema, record: releaseRecordSchema }),
  async run({ workspace, record }) {
    await write(workspace, record);
    return succeeded(recordPath(workspace, record.environment));
  },
});
