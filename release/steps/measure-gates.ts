// Step: measure and judge the SLO gates of the release over its analysis window (gates/analysis.ts).
import { z } from 'zod';
import { sloSchema } from '../../cdk8s/environments';
import { analyse, type Clock } from '../gates/analysis';
import type { MetricsProvider } from '../gates/prometheus-provider';
import { defineStep, succeeded } from './step';

export const measureGates = defineStep({
  name: 'measure-gates',
  input: z.strictObject({
    scope: z.strictObject({ namespace: z.string().min(1), release: z.string().min(1) }),
    slo: sloSchema,
    liveSince: z.date(),
    provider: z.custom<MetricsProvider>(
      (v) => typeof (v as MetricsProvider | undefined)?.measure === 'function',
      'a metrics provider',
    ),
    evidence: z
      .strictObject({
        minSeriesSamples: z.number().int().min(1).optional(),
        maxSampleAgeSeconds: z.number().positive().optional(),
      })
      .optional(),
    clock: z.custom<Clock>().optional(),
  }),
  async run(input) {
    const report = await analyse(input);
    return succeeded(report, `${report.outcome}: ${report.reason}`);
  },
});
