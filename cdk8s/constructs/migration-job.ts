// The schema migration: the image's `migrate` command as an Argo CD hook Job, recreated on each sync (the previous
// run's pod and logs stay until then), with bounded retries and deadline. The Deployment's init container
// (`migrate --check --wait`) still guards the pods when Argo CD skips or deletes this hook.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { COMMANDS } from '../../contract/runtime';
import { hook, type HookPhase } from '../sync-order';
import { helloContainer, type HelloPodProps } from './hello-container';
import { podSecurityContext, TMP_VOLUME } from './pod-hardening';

export interface MigrationJobProps extends HelloPodProps {
  /**
   * The Argo CD phase the Job runs in. 'Sync' runs it inside the sync waves, after the ExternalSecret (wave -1) is
   * healthy and before the workload (wave 1); 'PreSync' runs it before every wave, so before the database Secret
   * exists on a first sync (argoproj/argo-cd#9891) and only suits a Secret created outside this Application.
   * @default 'Sync'
   */
  readonly hookPhase?: HookPhase;
  /** Retries after a failed run. @default 2 */
  readonly backoffLimit?: number;
  /** Seconds the whole Job may take, retries included. @default 600 */
  readonly activeDeadlineSeconds?: number;
}

export class MigrationJob extends Construct {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const backoffLimit = props.backoffLimit ?? 2;
    const deadline = props.activeDeadlineSeconds ?? 600;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0 || backoffLimit > 6) {
      throw new Error(
        `'backoffLimit' is ${backoffLimit}: use 0 to 6 retries (a migration failing more often needs a person)`,
      );
    }
    if (!Number.isInteger(deadline) || deadline < 60 || deadline > 3600) {
      throw new Error(
        `'activeDeadlineSeconds' is ${deadline}: use 60 to 3600 seconds so a stuck migration fails the sync`,
      );
    }
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: hook(props.hookPhase ?? 'Sync', 'migration'),
      },
      spec: {
        backoffLimit,
        activeDeadlineSeconds: deadline,
        template: {
          metadata: { labels: props.podLabels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            containers: [
              helloContainer({
                name: 'migrate',
                image: props.image,
                args: COMMANDS.migrate,
                release: props.release,
                databaseUrl: props.databaseUrl,
                resources: props.resources,
                env: props.env,
              }),
            ],
            volumes: [TMP_VOLUME],
          },
        },
      },
    });
  }
}
