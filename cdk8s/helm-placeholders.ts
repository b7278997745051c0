// Placeholders that stand for Helm values while the constructs run: every setting of an environment (and the
// image and release) is replaced by a marker naming its values path, the constructs build the objects as usual,
// and helm-templates.ts turns each marker back into a `.Values` reference. The chart thus comes from the same
// constructs as gitops/, with no second copy to keep in step.
import { z } from 'zod';
import { environmentSchema, joinedEnvironmentSchema, type Environment } from './environments';
import type { RunningRelease } from './hello-environment';

/** A scalar value: `@@hv:<path>@@`; one element standing for a whole list: `@@hvlist:<path>@@`; a map: a key `@@hvmap:<path>@@`. */
export const PLACEHOLDER = /@@hv(list|map)?:([A-Za-z0-9_.]+)@@/g;
export type PlaceholderKind = 'scalar' | 'list' | 'map';

export const scalar = (path: string) => `@@hv:${path}@@`;
export const listElement = (path: string) => `@@hvlist:${path}@@`;
export const mapKey = (path: string) => `@@hvmap:${path}@@`;

/** Values paths the chart requires from its user (no safe default exists). */
export const REQUIRED_VALUES = { image: 'image', release: 'release' } as const;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
    s = s.unwrap() as z.ZodType;
  return s;
}

/** Replaces each leaf of `value` by its placeholder, following the schema to tell lists and maps from structs. */
function placeholders(schema: z.ZodType, value: unknown, path: string): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      // Optional settings are present in the chart (their objects are made conditional on them).
      out[key] = placeholders(
        field,
        (value as Record<string, unknown> | undefined)?.[key],
        path ? `${path}.${key}` : key,
      );
    }
    return out;
  }
  if (s instanceof z.ZodArray) return [listElement(path)];
  if (s instanceof z.ZodRecord) return { [mapKey(path)]: '' };
  return scalar(path);
}

/** The environment as placeholders: what the constructs see when they build the chart's templates. */
export function placeholderEnvironment(env: Environment): Environment {
  return placeholders(joinedEnvironmentSchema, env, '') as Environment;
}

export function placeholderRelease(): RunningRelease {
  return { image: scalar(REQUIRED_VALUES.image), release: scalar(REQUIRED_VALUES.release) };
}

/** Paths of the environment's optional settings: objects built only when one is set become conditional templates. */
export function optionalSettings(): string[] {
  return Object.entries(environmentSchema.shape)
    .filter(([, field]) => field instanceof z.ZodOptional)
    .map(([key]) => key);
}

/** Reads a values path out of an object. */
export function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], root);
}
