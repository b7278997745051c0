// The API container's memory budget, from what was measured (docs/drills.md, "Memory of the production form"): the
// V8 heap cap it runs with and the least memory limit that leaves a margin over its measured peak.
import { PLACEHOLDER } from '../helm-placeholders';
import type { ContainerResources } from './hello-container';

/**
 * `--max-old-space-size` of the API, in MiB. Under 64 GETs and 32 PUTs in flight, 400 connections on the OpenAPI
 * document and pipelining floods, the heap stayed under 65 MiB: the cap is twice that. Without a cap V8 sizes the
 * heap from the node's memory, not the pod's, and keeps what it grew (RSS 283 MiB after the same run).
 */
export const API_HEAP_MIB = 128;
/** The API's peak RSS over that run with the cap (217 MiB), plus a 50 % margin: the least limit a pod is given. */
export const API_MIN_MEMORY_LIMIT_MIB = 326;

/** A memory quantity (`384Mi`, `1Gi`) in MiB. */
export function mebibytes(quantity: string): number {
  const match = /^([0-9]+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity '${quantity}' must be a whole number of Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/**
 * NODE_OPTIONS for the API container; throws when its memory limit leaves less than the measured margin. The Helm
 * chart's limit is a value placeholder, set (and so checked) only at install time.
 */
export function apiNodeOptions(resources: ContainerResources): string {
  const quantity = resources.limits.memory;
  const isPlaceholder = new RegExp(PLACEHOLDER.source).test(quantity);
  if (!isPlaceholder && mebibytes(quantity) < API_MIN_MEMORY_LIMIT_MIB) {
    throw new Error(
      `'resources.limits.memory' (${resources.limits.memory}) is below the API's measured peak plus margin: raise it to at least ${API_MIN_MEMORY_LIMIT_MIB}Mi`,
    );
  }
  return `--max-old-space-size=${API_HEAP_MIB}`;
}
