// Step: wait for Argo CD and the rollout, then judge the cluster. The verdict is data (the action records it);
// the step itself only errors when it cannot run.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { imageSchema } from '../../cdk8s/release-record';
import type { RevisionRelation } from '../cluster/cluster-state';
import type { ClusterReader } from '../cluster/cluster-reader';
import { waitForCluster } from '../cluster/cluster-wait';
import type { Clock } from '../gates/analysis';
import { defineStep, succeeded } from './step';

export const checkCluster = defineStep({
  name: 'check-cluster',
  input: z.strictObject({
    reader: z.custom<ClusterReader>(
      (v) => typeof (v as ClusterReader | undefined)?.read === 'function',
      'a cluster reader',
    ),
    target: z.strictObject({
      env: z.enum(ENVIRONMENT_NAMES),
      namespace: z.string().min(1),
      release: z.string().min(1),
    }),
    image: imageSchema,
    revision: z.string().regex(/^[0-9a-f]{40}$/),
    relate: z.custom<(rev: string | undefined) => Promise<RevisionRelation>>((v) => typeof v === 'function'),
    timeoutMs: z.number().int().min(0),
    pollMs: z.number().int().min(1),
    clock: z.custom<Clock>().optional(),
    onWait: z.custom<(waitingFor: string) => void>((v) => typeof v === 'function').optional(),
  }),
  async run(input) {
    const report = await waitForCluster(input);
    return succeeded(report, `${report.outcome}: ${report.reason}`);
  },
});
