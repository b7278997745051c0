// Validates objects of a CustomResourceDefinition's kind against the CRD's own OpenAPI v3 schema with Ajv, the way
// the API server with strict field validation would: the schema's rules, plus "no field the schema does not define"
// (the server would prune such a field silently; `kubectl apply --validate=strict` refuses it). CEL rules
// (x-kubernetes-validations) are not evaluated here: no CEL runtime for Node; the zod schema checks the same rules.
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readManifests, ROOT } from './manifests';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
};

/** OpenAPI v3.0 (draft-4 style bounds) to the draft-07 Ajv reads, closed against unknown fields. */
function toDraft7(node: Schema, path: string): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v === 'boolean') continue;
    out[k] = v;
  }
  if (node.exclusiveMinimum === true) {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true) {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [k, toDraft7(v, `${path}.${k}`)]),
    );
    if (node['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (typeof node.additionalProperties === 'object')
    out.additionalProperties = toDraft7(node.additionalProperties, path);
  if (node.items) out.items = toDraft7(node.items, `${path}[]`);
  return out;
}

export interface CrdLike {
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string };
    versions: {
      name: string;
      schema: { openAPIV3Schema: Schema };
      additionalPrinterColumns?: { name: string; jsonPath: string }[];
    }[];
  };
}

/** The CRD of a group and kind as committed in gitops/platform/ (what Argo CD applies). */
export function committedCrd(group: string, kind: string): CrdLike {
  const crd = readManifests(join(ROOT, 'gitops', 'platform'))
    .map((m) => m.object as unknown as CrdLike)
    .find((o) => o.kind === 'CustomResourceDefinition' && o.spec.group === group && o.spec.names.kind === kind);
  if (!crd) throw new Error(`gitops/platform/ holds no CustomResourceDefinition for ${group} ${kind}`);
  return crd;
}

/** A validator for one version of the CRD: the errors of an object as "<path> <message>" lines. */
export function crdValidator(crd: CrdLike, version: string): (obj: unknown) => string[] {
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`the CRD serves no version '${version}'`);
  const root = toDraft7(v.schema.openAPIV3Schema, '');
  // metadata is the API server's (ObjectMeta): not part of the CRD's schema beyond its type.
  root.properties!.metadata = { type: 'object' };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate: ValidateFunction = ajv.compile(root);
  return (obj) =>
    validate(obj)
      ? []
      : (validate.errors ?? []).map(
          (e) =>
            `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')` : ''}`,
        );
}
