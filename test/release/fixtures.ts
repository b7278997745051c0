// Release records and images for tests: images from the repository the environments accept, one digest per name.
import { createHash } from 'node:crypto';
import type { EnvironmentName } from '../../cdk8s/environments';
import { releaseId, type ReleaseRecord } from '../../cdk8s/release-record';

export const REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-app';

/** A pinned image whose digest is derived from a name, so tests read `image('v2')`. */
export function image(name: string, repository = REPOSITORY): string {
  return `${repository}@sha256:${createHash('sha256').update(name).digest('hex')}`;
}

const T0 = '2025-01-01T00:00:00.000Z';

/** A record whose current image is `running` and, optionally, whose last verified image is `verified`. */
export function record(env: EnvironmentName, running?: string, verified?: string): ReleaseRecord {
  const r: ReleaseRecord = { environment: env, bad: [], history: [] };
  const history: ReleaseRecord['history'] = [];
  if (verified) {
    history.push({
      at: T0,
      action: 'deploy',
      image: verified,
      release: releaseId(verified),
      from: 'build',
      outcome: 'succeeded',
    });
    history.push({
      at: T0,
      action: 'verify',
      image: verified,
      release: releaseId(verified),
      from: env,
      outcome: 'passed',
      reason: 'all gates passed',
      figures: { traffic: 2, errorRatio: 0.001, latencyP99: 0.05 },
    });
  }
  return {
    ...r,
    ...(running
      ? {
          current: { image: running, release: releaseId(running), since: T0, from: 'build', action: 'deploy' as const },
        }
      : {}),
    ...(verified ? { lastVerified: { image: verified, release: releaseId(verified), verifiedAt: T0 } } : {}),
    history,
  };
}
