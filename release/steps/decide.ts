// Step: decide the change to a release record (pure rules in record-changes.ts): changed, nothing to do, or refused.
import { z } from 'zod';
import {
  actorSchema,
  boundedReason,
  figuresSchema,
  imageSchema,
  releaseRecordSchema,
  versionSchema,
} from '../../cdk8s/release-record';
import * as rules from '../record-changes';
import { defineStep, failed, skipped, succeeded } from './step';

const common = { at: z.date(), actor: actorSchema.optional() };
// A reason reaches here checked by the CLI or composed by the tool (a verdict, the guard) from the gates' words:
// it is made one printable line and cut to the record's limit, never refused for its length.
const reason = z.string().transform(boundedReason).pipe(z.string().min(1));

const input = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('deploy'),
    record: releaseRecordSchema,
    image: imageSchema,
    version: versionSchema.optional(),
    ...common,
  }),
  z.strictObject({ action: z.literal('promote'), source: releaseRecordSchema, target: releaseRecordSchema, ...common }),
  z.strictObject({
    action: z.literal('rollback'),
    record: releaseRecordSchema,
    to: imageSchema.optional(),
    reason,
    figures: figuresSchema.optional(),
    markBad: z.boolean().optional(),
    ...common,
  }),
  z.strictObject({
    action: z.literal('verify'),
    record: releaseRecordSchema,
    image: imageSchema,
    outcome: z.enum(['passed', 'failed']),
    reason,
    figures: figuresSchema,
    ...common,
  }),
]);

export type Decided =
  Extract<rules.Change, { kind: 'changed' }> | { readonly kind: 'unchanged'; readonly note: string };

export const decide = defineStep({
  name: 'decide',
  input,
  run(i) {
    const change: rules.Change = (() => {
      switch (i.action) {
        case 'deploy':
          return rules.deploy(i.record, i);
        case 'promote':
          return rules.promote(i.source, i.target, i);
        case 'rollback':
          return rules.rollback(i.record, i);
        case 'verify':
          return rules.verdict(i.record, i);
      }
    })();
    if (change.kind === 'refused') return failed(change.reason);
    if (change.kind === 'unchanged') return skipped<Decided>(change, change.note);
    return succeeded<Decided>(change, change.decision.title);
  },
});
