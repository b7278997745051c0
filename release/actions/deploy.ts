// `deploy`: record a freshly built image in dev's release record, re-synthesize dev, commit, push.
import type { EnvironmentName } from '../../cdk8s/environments';
import { decide } from '../steps/decide';
import { openWorkspace } from '../steps/open-workspace';
import { readRecord } from '../steps/read-record';
import { decisionTime, runAction, type ActionResult, type ReleaseContext } from './action';
import { publishChange, publishedResult } from './publish-change';

export interface DeployInput {
  /** Only dev takes builds; other environments get images by promotion. */
  readonly env: EnvironmentName;
  readonly image: string;
  readonly version?: string;
}

export function deploy(ctx: ReleaseContext, input: DeployInput): Promise<ActionResult> {
  return runAction('deploy', async (run, onExit) => {
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch });
    onExit(() => workspace.dispose());
    const published = await publishChange(run, ctx, workspace, input.env, async () =>
      run.do(decide, {
        action: 'deploy',
        record: await run.do(readRecord, { workspace, env: input.env }),
        image: input.image,
        version: input.version,
        at: decisionTime(ctx),
        actor: ctx.actor,
      }),
    );
    return publishedResult(published, `in ${input.env}`);
  });
}
