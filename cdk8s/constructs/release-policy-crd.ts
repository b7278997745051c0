// The ReleasePolicy CustomResourceDefinition: namespaced, one served and stored version, the status subresource, and
// printer columns for `kubectl get`. Its schema is generated from the zod schemas the guard validates with.
import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { RELEASE_POLICY_API, releasePolicySpecSchema, releasePolicyStatusSchema } from '../release-policy';
import { structuralSchema, type JsonSchemaProps } from '../structural-schema';
import { neverPrune, syncWave } from '../sync-order';

export interface ReleasePolicyCrdProps {
  /** @default no labels */
  readonly labels?: Record<string, string>;
}

/** The CRD's name, as the API server requires it: `<plural>.<group>`. */
export const RELEASE_POLICY_CRD_NAME = `${RELEASE_POLICY_API.plural}.${RELEASE_POLICY_API.group}`;

/** The whole object's schema: the standard fields, a required spec, and the status. */
export function releasePolicyOpenApiSchema(): JsonSchemaProps {
  return {
    type: 'object',
    description:
      "The release guard's policy for one environment's live release, and what the guard saw (status). See docs/guard.md.",
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: structuralSchema(releasePolicySpecSchema, 'spec'),
      status: structuralSchema(releasePolicyStatusSchema, 'status'),
    },
    required: ['spec'],
  };
}

export class ReleasePolicyCrd extends Construct {
  constructor(scope: Construct, id: string, props: ReleasePolicyCrdProps = {}) {
    super(scope, id);
    const api = RELEASE_POLICY_API;
    // A plain ApiObject: the typed CRD class maps schema keys to camelCase and drops the `x-kubernetes-*` ones.
    new ApiObject(this, 'Resource', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: RELEASE_POLICY_CRD_NAME,
        ...(props.labels ? { labels: props.labels } : {}),
        // Deleting a CRD deletes every object of its kind: never as a side effect of a sync.
        annotations: { ...syncWave('definitions'), ...neverPrune() },
      },
      spec: {
        group: api.group,
        scope: 'Namespaced',
        names: {
          kind: api.kind,
          listKind: api.listKind,
          plural: api.plural,
          singular: api.singular,
          shortNames: [...api.shortNames],
          categories: ['hello-app'],
        },
        versions: [
          {
            name: api.version,
            served: true,
            storage: true,
            subresources: { status: {} },
            additionalPrinterColumns: [
              { name: 'Environment', type: 'string', jsonPath: '.spec.environment' },
              { name: 'Image', type: 'string', jsonPath: '.status.live.image' },
              { name: 'Verdict', type: 'string', jsonPath: '.status.verdict' },
              { name: 'Last Evaluation', type: 'date', jsonPath: '.status.lastEvaluation.time' },
              { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            ],
            schema: { openAPIV3Schema: releasePolicyOpenApiSchema() },
          },
        ],
      },
    });
  }
}
