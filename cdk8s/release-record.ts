// The release record: what runs in one environment, since when, from where, and its history. One JSON file per
// environment at gitops/<env>/release.json; cdk8s reads it to pin the image, only release/ writes it.
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from './environments';

export const RELEASE_RECORD_FILE = 'release.json';

// repository (registry host, optional port, path) then @sha256:<digest> or :<tag>. A tag of "latest" is refused.
const IMAGE =
  /^(?<repo>[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*)(@(?<digest>sha256:[a-f0-9]{64})|:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))$/;

export interface ImageRef {
  readonly repository: string;
  readonly digest?: string;
  readonly tag?: string;
}

/** Parses an image reference pinned by digest or version tag; `latest` and unpinned references are refused. */
export function parseImage(ref: string): ImageRef {
  const m = IMAGE.exec(ref);
  if (!m?.groups) {
    throw new Error(`image '${ref}' is not '<repository>@sha256:<64 hex>' or '<repository>:<version tag>'`);
  }
  const { repo, digest, tag } = m.groups;
  if (tag === 'latest') throw new Error(`image '${ref}' uses the 'latest' tag: pin it by digest or version tag`);
  return { repository: repo!, ...(digest ? { digest } : {}), ...(tag ? { tag } : {}) };
}

export const imageSchema = z.string().superRefine((s, ctx) => {
  try {
    parseImage(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** The id that labels a release's metrics (`release` label) and pods: its version tag, or the digest's first 12 hex. */
export function releaseId(image: string, version?: string): string {
  if (version) return version;
  const ref = parseImage(image);
  return ref.digest ? ref.digest.slice('sha256:'.length, 'sha256:'.length + 12) : ref.tag!;
}

export const versionSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a version such as "v1.2.3"');
export const ACTIONS = ['deploy', 'promote', 'rollback', 'verify', 'mark-bad'] as const;
/** What a history entry records: an action that succeeded, or a verify's verdict (passed, failed, undecided). */
export const HISTORY_OUTCOMES = ['succeeded', 'passed', 'failed', 'inconclusive'] as const;

/** A release: the image, its version, and the id its metrics carry. */
export const releaseSchema = z.strictObject({
  image: imageSchema,
  version: versionSchema.optional(),
  release: versionSchema,
});
export type Release = z.infer<typeof releaseSchema>;

export const historyEntrySchema = z.strictObject({
  at: z.iso.datetime(),
  action: z.enum(ACTIONS),
  image: imageSchema,
  release: versionSchema,
  /** Where the image came from: 'build' for a deploy, the source environment for a promotion, the environment itself for a rollback. */
  from: z.string().optional(),
  outcome: z.enum(HISTORY_OUTCOMES),
  reason: z.string().max(2000).optional(),
  /** The gate figures behind a verdict, by gate name. */
  figures: z.record(z.string(), z.number().nullable()).optional(),
  /** Who made the decision: the pipeline run, a person, or the guard. */
  actor: z.string().max(200).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const releaseRecordSchema = z.strictObject({
  environment: z.enum(ENVIRONMENT_NAMES),
  /** What runs now; absent before the first deploy. */
  current: releaseSchema
    .extend({ since: z.iso.datetime(), from: z.string(), action: z.enum(['deploy', 'promote', 'rollback']) })
    .optional(),
  /** The last release that passed `verify` here: what `promote` copies on and `rollback` restores. */
  lastVerified: releaseSchema.extend({ verifiedAt: z.iso.datetime() }).optional(),
  /** Images marked bad here (by a failed verify or the guard): never promoted or restored again. */
  bad: z.array(z.strictObject({ image: imageSchema, at: z.iso.datetime(), reason: z.string().max(2000) })),
  /** Newest last; bounded (git keeps the rest). */
  history: z.array(historyEntrySchema).max(200),
});
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

export const HISTORY_LIMIT = 200;

/** Parses a release record's JSON text; a bad record throws naming the file's environment and the field. */
export function parseReleaseRecord(text: string, where: string): ReleaseRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const result = releaseRecordSchema.safeParse(json);
  if (!result.success) {
    throw new Error(
      result.error.issues.map((i) => `${where}: field '${i.path.join('.') || '(root)'}': ${i.message}`).join('\n'),
    );
  }
  return result.data;
}

/** Serialises a record the one way it is written: 2-space JSON, trailing newline, so diffs stay small. */
export function formatReleaseRecord(record: ReleaseRecord): string {
  return `${JSON.stringify(releaseRecordSchema.parse(record), null, 2)}\n`;
}
