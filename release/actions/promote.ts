// `promote`: copy the exact image that passed verify in the source into the next environment, commit, push.
import type { EnvironmentName } from '../../cdk8s/environments';
import { decide } from '../steps/decide';
import { openWorkspace } from '../steps/open-workspace';
import { readRecord } from '../steps/read-record';
import { decisionTime, runAction, type ActionResult, type ReleaseContext } from './action';
import { publishChange, publishedResult } from './publish-change';

export function promote(
  ctx: ReleaseContext,
  input: { readonly from: EnvironmentName; readonly to: EnvironmentName },
): Promise<ActionResult> {
  return runAction('promote', async (run, onExit) => {
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch });
    onExit(() => workspace.dispose());
    const published = await publishChange(run, ctx, workspace, input.to, async () =>
      run.do(decide, {
        action: 'promote',
        source: await run.do(readRecord, { workspace, env: input.from }),
        target: await run.do(readRecord, { workspace, env: input.to }),
        at: decisionTime(ctx),
        actor: ctx.actor,
      }),
    );
    return publishedResult(published, `to ${input.to}`);
  });
}
