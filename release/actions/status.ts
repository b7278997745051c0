// `status`: each environment's image, since when, from where, its last verdict and its last verified image.
// Reads only; writes nothing.
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../cdk8s/environments';
import { openWorkspace } from '../steps/open-workspace';
import { readRecord } from '../steps/read-record';
import { runAction, type ActionResult, type ReleaseContext } from './action';

export interface EnvironmentStatus {
  readonly env: EnvironmentName;
  readonly image?: string;
  readonly release?: string;
  readonly since?: string;
  readonly from?: string;
  readonly action?: string;
  readonly lastVerdict?: {
    readonly outcome: string;
    readonly at: string;
    readonly release: string;
    readonly reason?: string;
  };
  readonly lastVerified?: { readonly image: string; readonly release: string; readonly at: string };
  readonly bad: number;
}

export function status(ctx: Pick<ReleaseContext, 'gitops' | 'branch'>): Promise<ActionResult<EnvironmentStatus[]>> {
  return runAction<EnvironmentStatus[]>('status', async (run, onExit) => {
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch, readOnly: true });
    onExit(() => workspace.dispose());
    const rows: EnvironmentStatus[] = [];
    for (const env of ENVIRONMENT_NAMES) {
      const r = await run.do(readRecord, { workspace, env });
      const verdict = [...r.history].reverse().find((h) => h.action === 'verify');
      rows.push({
        env,
        ...(r.current
          ? {
              image: r.current.image,
              release: r.current.release,
              since: r.current.since,
              from: r.current.from,
              action: r.current.action,
            }
          : {}),
        ...(verdict
          ? {
              lastVerdict: {
                outcome: verdict.outcome,
                at: verdict.at,
                release: verdict.release,
                ...(verdict.reason ? { reason: verdict.reason } : {}),
              },
            }
          : {}),
        ...(r.lastVerified
          ? {
              lastVerified: {
                image: r.lastVerified.image,
                release: r.lastVerified.release,
                at: r.lastVerified.verifiedAt,
              },
            }
          : {}),
        bad: r.bad.length,
      });
    }
    return { summary: `${rows.length} environments`, detail: rows };
  });
}
