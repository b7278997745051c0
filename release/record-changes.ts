// The release decisions as pure functions over a release record: deploy, promote, rollback and a verify verdict.
// Each returns the new record and the words of its commit, or says why nothing changes or why it is refused.
import { PROMOTION_ORDER, type EnvironmentName } from '../cdk8s/environments';
import { HISTORY_LIMIT, releaseId, type HistoryEntry, type Release, type ReleaseRecord } from '../cdk8s/release-record';

export type Figures = Record<string, number | null>;

export interface Decision {
  readonly env: EnvironmentName;
  readonly action: 'deploy' | 'promote' | 'rollback' | 'verify';
  /** One line: what moved where. */
  readonly title: string;
  readonly image: string;
  readonly release: string;
  /** The image it replaces, if any. */
  readonly replaces?: string;
  readonly from: string;
  readonly why: string;
  readonly figures?: Figures;
  readonly actor?: string;
}

export type Change =
  | { readonly kind: 'changed'; readonly record: ReleaseRecord; readonly decision: Decision }
  | { readonly kind: 'unchanged'; readonly note: string }
  | { readonly kind: 'refused'; readonly reason: string };

function withHistory(record: ReleaseRecord, entry: HistoryEntry): ReleaseRecord['history'] {
  return [...record.history, entry].slice(-HISTORY_LIMIT);
}

function badEntry(record: ReleaseRecord, image: string) {
  return record.bad.find((b) => b.image === image);
}

const iso = (d: Date) => d.toISOString();

export function deploy(
  record: ReleaseRecord,
  input: { image: string; version?: string; at: Date; actor?: string },
): Change {
  const bad = badEntry(record, input.image);
  if (bad)
    return {
      kind: 'refused',
      reason: `${input.image} was marked bad in ${record.environment} at ${bad.at}: ${bad.reason}`,
    };
  if (record.current?.image === input.image)
    return { kind: 'unchanged', note: `${record.environment} already runs ${input.image}` };
  const release: Release = {
    image: input.image,
    ...(input.version ? { version: input.version } : {}),
    release: releaseId(input.image, input.version),
  };
  const why = 'a new build';
  return {
    kind: 'changed',
    record: {
      ...record,
      current: { ...release, since: iso(input.at), from: 'build', action: 'deploy' },
      history: withHistory(record, {
        at: iso(input.at),
        action: 'deploy',
        image: release.image,
        release: release.release,
        from: 'build',
        outcome: 'succeeded',
        reason: why,
        ...(input.actor ? { actor: input.actor } : {}),
      }),
    },
    decision: {
      env: record.environment,
      action: 'deploy',
      title: `deploy ${release.release} from build`,
      image: release.image,
      release: release.release,
      ...(record.current ? { replaces: record.current.image } : {}),
      from: 'build',
      why,
      ...(input.actor ? { actor: input.actor } : {}),
    },
  };
}

/** The figures of the newest passing verify of an image in a record (what a promotion carries on). */
export function verifiedFigures(record: ReleaseRecord, image: string): Figures | undefined {
  return [...record.history].reverse().find((h) => h.action === 'verify' && h.outcome === 'passed' && h.image === image)
    ?.figures;
}

export function promote(source: ReleaseRecord, target: ReleaseRecord, input: { at: Date; actor?: string }): Change {
  const from = source.environment;
  const to = target.environment;
  const i = PROMOTION_ORDER.indexOf(from);
  const j = PROMOTION_ORDER.indexOf(to);
  if (j !== i + 1) {
    const next = PROMOTION_ORDER[i + 1];
    return {
      kind: 'refused',
      reason: `promotion goes ${PROMOTION_ORDER.join(' → ')}: from ${from} the only target is ${next ?? 'none'}, not ${to}`,
    };
  }
  const verified = source.lastVerified;
  if (!verified)
    return { kind: 'refused', reason: `nothing has passed verify in ${from} yet: there is no image to promote` };
  for (const r of [source, target]) {
    const bad = badEntry(r, verified.image);
    if (bad)
      return {
        kind: 'refused',
        reason: `${verified.image} was marked bad in ${r.environment} at ${bad.at}: ${bad.reason}`,
      };
  }
  if (target.current?.image === verified.image)
    return { kind: 'unchanged', note: `${to} already runs ${verified.image}, the last image verified in ${from}` };
  const release: Release = {
    image: verified.image,
    ...(verified.version ? { version: verified.version } : {}),
    release: verified.release,
  };
  const figures = verifiedFigures(source, verified.image);
  const why = `passed verify in ${from} at ${verified.verifiedAt}`;
  return {
    kind: 'changed',
    record: {
      ...target,
      current: { ...release, since: iso(input.at), from, action: 'promote' },
      history: withHistory(target, {
        at: iso(input.at),
        action: 'promote',
        image: release.image,
        release: release.release,
        from,
        outcome: 'succeeded',
        reason: why,
        ...(figures ? { figures } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      }),
    },
    decision: {
      env: to,
      action: 'promote',
      title: `promote ${release.release} from ${from}`,
      image: release.image,
      release: release.release,
      ...(target.current ? { replaces: target.current.image } : {}),
      from,
      why,
      ...(figures ? { figures } : {}),
      ...(input.actor ? { actor: input.actor } : {}),
    },
  };
}

/** Images that passed verify in this environment, newest first. */
export function verifiedImages(record: ReleaseRecord): string[] {
  const passed = record.history
    .filter((h) => h.action === 'verify' && h.outcome === 'passed')
    .map((h) => h.image)
    .reverse();
  return [...new Set([...(record.lastVerified ? [record.lastVerified.image] : []), ...passed])];
}

export interface RollbackInput {
  readonly to?: string;
  readonly reason: string;
  readonly at: Date;
  readonly actor?: string;
  readonly figures?: Figures;
  /** Mark the image rolled away from as bad, so nothing promotes or restores it again. @default true */
  readonly markBad?: boolean;
}

export function rollback(record: ReleaseRecord, input: RollbackInput): Change {
  const env = record.environment;
  const image = input.to ?? record.lastVerified?.image;
  if (!image)
    return { kind: 'refused', reason: `nothing has passed verify in ${env}: there is no release to roll back to` };
  if (!verifiedImages(record).includes(image))
    return {
      kind: 'refused',
      reason: `${image} never passed verify in ${env}; roll back only to a verified image (${verifiedImages(record).join(', ') || 'none'})`,
    };
  const bad = badEntry(record, image);
  if (bad) return { kind: 'refused', reason: `${image} was marked bad in ${env} at ${bad.at}: ${bad.reason}` };
  if (record.current?.image === image) return { kind: 'unchanged', note: `${env} already runs ${image}` };
  const entry = [...record.history].reverse().find((h) => h.image === image);
  const known = record.lastVerified?.image === image ? record.lastVerified : entry;
  const release: Release = {
    image,
    ...(known && 'version' in known && known.version ? { version: known.version } : {}),
    release: known?.release ?? releaseId(image),
  };
  const leaving = record.current;
  const markBad = (input.markBad ?? true) && leaving !== undefined && !badEntry(record, leaving.image);
  return {
    kind: 'changed',
    record: {
      ...record,
      current: { ...release, since: iso(input.at), from: env, action: 'rollback' },
      bad: markBad ? [...record.bad, { image: leaving.image, at: iso(input.at), reason: input.reason }] : record.bad,
      history: withHistory(record, {
        at: iso(input.at),
        action: 'rollback',
        image,
        release: release.release,
        from: env,
        outcome: 'succeeded',
        reason: input.reason,
        ...(input.figures ? { figures: input.figures } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      }),
    },
    decision: {
      env,
      action: 'rollback',
      title: `roll back to ${release.release}${leaving ? ` from ${leaving.release}` : ''}`,
      image,
      release: release.release,
      ...(leaving ? { replaces: leaving.image } : {}),
      from: env,
      why: input.reason,
      ...(input.figures ? { figures: input.figures } : {}),
      ...(input.actor ? { actor: input.actor } : {}),
    },
  };
}

export interface VerdictInput {
  readonly image: string;
  readonly outcome: 'passed' | 'failed';
  readonly reason: string;
  readonly figures: Figures;
  readonly at: Date;
  readonly actor?: string;
}

/** Records a decisive verify verdict: a pass makes the image the last verified one, a failure marks it bad. */
export function verdict(record: ReleaseRecord, input: VerdictInput): Change {
  const env = record.environment;
  const current = record.current;
  if (!current || current.image !== input.image)
    return {
      kind: 'refused',
      reason: `${env} no longer runs ${input.image} (now ${current?.image ?? 'nothing'}); the verdict is stale`,
    };
  const at = iso(input.at);
  const passed = input.outcome === 'passed';
  const { since: _since, from: _from, action: _action, ...release } = current;
  return {
    kind: 'changed',
    record: {
      ...record,
      lastVerified: passed ? { ...release, verifiedAt: at } : record.lastVerified,
      bad:
        !passed && !badEntry(record, input.image)
          ? [...record.bad, { image: input.image, at, reason: input.reason }]
          : record.bad,
      history: withHistory(record, {
        at,
        action: 'verify',
        image: input.image,
        release: current.release,
        from: env,
        outcome: input.outcome,
        reason: input.reason,
        figures: input.figures,
        ...(input.actor ? { actor: input.actor } : {}),
      }),
    },
    decision: {
      env,
      action: 'verify',
      title: `verify ${current.release}: ${input.outcome}`,
      image: input.image,
      release: current.release,
      from: env,
      why: input.reason,
      figures: input.figures,
      ...(input.actor ? { actor: input.actor } : {}),
    },
  };
}
