// A zod schema as a Kubernetes structural schema (apiextensions.k8s.io/v1 openAPIV3Schema): zod's OpenAPI 3.0
// output, then the CRD rules applied — a type on every node, no $ref, no additionalProperties beside properties (the
// API server prunes unknown fields instead), no combinators. Anything that cannot follow the rules throws at synth.
import { z } from 'zod';

export interface JsonSchemaProps {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  additionalProperties?: JsonSchemaProps | boolean;
  items?: JsonSchemaProps;
  required?: string[];
  [k: string]: unknown;
}

/** Keywords a CRD schema may not hold at all. */
const FORBIDDEN = ['$ref', '$schema', '$defs', 'definitions', 'id', 'allOf', 'anyOf', 'oneOf', 'not', 'const'];
/** zod writes the largest safe integer as the bound of an unbounded int; Kubernetes integers are int64 anyway. */
const SAFE = Number.MAX_SAFE_INTEGER;

function structural(node: JsonSchemaProps, path: string): JsonSchemaProps {
  const found = FORBIDDEN.filter((k) => k in node);
  if (found.length) throw new Error(`${path}: a structural schema cannot use ${found.join(', ')}`);
  if (typeof node.type !== 'string')
    throw new Error(`${path}: a structural schema needs a type on every node (zod gave ${JSON.stringify(node)})`);
  const out: JsonSchemaProps = { ...node };
  if (out.minimum === -SAFE) delete out.minimum;
  if (out.maximum === SAFE) delete out.maximum;
  // The format says it; zod's equivalent regular expression only makes `kubectl explain` unreadable.
  if (out.format === 'date-time') delete out.pattern;
  if (node.properties) {
    // Unknown fields are pruned by the API server (and refused by strict field validation): properties alone say it.
    delete out.additionalProperties;
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [k, structural(v, `${path}.${k}`)]),
    );
  } else if (typeof node.additionalProperties === 'object') {
    out.additionalProperties = structural(node.additionalProperties, `${path}.*`);
  } else if (node.type === 'object') {
    throw new Error(`${path}: an object needs properties or a schema for its values`);
  }
  if (node.items) out.items = structural(node.items, `${path}[]`);
  return out;
}

/** The structural OpenAPI v3 schema of a zod schema (its input side: defaults are optional there). */
export function structuralSchema(schema: z.ZodType, path = 'schema'): JsonSchemaProps {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' });
  return structural(json as JsonSchemaProps, path);
}
