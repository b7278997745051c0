// `rollback`: restore the last image that passed verify in an environment (or a named verified one) as a new
// commit, which Argo CD's automated sync applies like any other. The guard calls this same function.
import type { EnvironmentName } from '../../cdk8s/environments';
import type { Figures } from '../record-changes';
import { decide, type Decided } from '../steps/decide';
import { openWorkspace } from '../steps/open-workspace';
import { readRecord } from '../steps/read-record';
import { decisionTime, runAction, type ActionResult, type ReleaseContext } from './action';
import { publishChange, publishedResult } from './publish-change';

export interface RollbackRequest {
  readonly env: EnvironmentName;
  /** A verified image to restore. @default the environment's last verified image */
  readonly to?: string;
  readonly reason: string;
  /** The gate figures behind the decision (the guard passes its analysis). */
  readonly figures?: Figures;
  /** Roll back only if the environment still runs this image: a release changed since the decision is left alone. */
  readonly expectCurrent?: string;
  /** @default true */
  readonly markBad?: boolean;
}

export function rollback(ctx: ReleaseContext, input: RollbackRequest): Promise<ActionResult> {
  return runAction('rollback', async (run, onExit) => {
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch });
    onExit(() => workspace.dispose());
    const published = await publishChange(run, ctx, workspace, input.env, async (): Promise<Decided> => {
      const record = await run.do(readRecord, { workspace, env: input.env });
      if (input.expectCurrent !== undefined && record.current?.image !== input.expectCurrent) {
        return {
          kind: 'unchanged',
          note: `${input.env} no longer runs ${input.expectCurrent} (now ${record.current?.image ?? 'nothing'}): nothing rolled back`,
        };
      }
      return run.do(decide, {
        action: 'rollback',
        record,
        to: input.to,
        reason: input.reason,
        figures: input.figures,
        markBad: input.markBad,
        at: decisionTime(ctx),
        actor: ctx.actor,
      });
    });
    return publishedResult(published, `in ${input.env}`);
  });
}
