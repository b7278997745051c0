// `status`: each environment's image, since when, from where, its last verdict and its last verified image; beside
// it, when a cluster answers, what the release guard wrote in the environment's ReleasePolicy. Reads only.
import { ENVIRONMENT_NAMES, ENVIRONMENTS, type EnvironmentName } from '../../cdk8s/environments';
import type { PolicyLookup, PolicyView } from '../cluster/policy-reader';
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
  /** The environment's ReleasePolicy as the cluster shows it; absent when no cluster was asked. */
  readonly policy?: PolicyView;
}

export function status(
  ctx: Pick<ReleaseContext, 'gitops' | 'branch'>,
  policies?: PolicyLookup,
): Promise<ActionResult<EnvironmentStatus[]>> {
  return runAction<EnvironmentStatus[]>('status', async (run, onExit) => {
    const workspace = await run.do(openWorkspace, { gitops: ctx.gitops, branch: ctx.branch, readOnly: true });
    onExit(() => workspace.dispose());
    const rows: EnvironmentStatus[] = [];
    // Asked for all environments at once: an unreachable cluster costs one timeout, not three.
    const views = policies
      ? await Promise.all(ENVIRONMENT_NAMES.map((env) => policies(env, ENVIRONMENTS[env].namespace)))
      : undefined;
    for (const [k, env] of ENVIRONMENT_NAMES.entries()) {
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
        ...(views ? { policy: views[k]! } : {}),
      });
    }
    return { summary: `${rows.length} environments`, detail: rows };
  });
}
