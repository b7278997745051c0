// One environment's ReleasePolicy: the guard's policy for the environment's live release, as a custom resource in the
// environment's namespace. The spec is validated here, so a bad setting fails synth, not the guard.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  parseReleasePolicySpec,
  RELEASE_POLICY_API,
  RELEASE_POLICY_API_VERSION,
  type ReleasePolicySpecInput,
} from '../release-policy';
import { skipDryRunOnMissingResource, syncWave } from '../sync-order';

export interface ReleasePolicyProps {
  readonly name: string;
  readonly namespace: string;
  readonly spec: ReleasePolicySpecInput;
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

export class ReleasePolicyObject extends Construct {
  constructor(scope: Construct, id: string, props: ReleasePolicyProps) {
    super(scope, id);
    const spec = parseReleasePolicySpec(props.spec, `ReleasePolicy '${props.namespace}/${props.name}'`);
    new ApiObject(this, 'Resource', {
      apiVersion: RELEASE_POLICY_API_VERSION,
      kind: RELEASE_POLICY_API.kind,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: props.labels } : {}),
        annotations: { ...syncWave('policy'), ...skipDryRunOnMissingResource() },
      },
      spec,
    });
  }
}
