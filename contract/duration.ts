// Durations as people write them in settings and on command lines ("500ms", "30s", "5m", "1h"): the one parser the
// environment settings, the release CLI and the guard share, so a value one of them accepts the others read alike.
// Every form is also a valid Prometheus range, so a window can go into PromQL as written.

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** The form of a duration, for schemas that carry it as a pattern (the ReleasePolicy CRD). */
export const DURATION_PATTERN = /^([1-9][0-9]{0,8})(ms|s|m|h)$/;

/** What a valid duration looks like, for error messages. */
export const DURATION_FORMAT = 'a duration such as "500ms", "30s", "5m" or "1h"';

/** Milliseconds in a duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text);
  return m ? Number(m[1]) * UNITS[m[2] as keyof typeof UNITS] : undefined;
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

/** Milliseconds in a duration; a text that is not one throws, quoting it. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`'${text}' is not ${DURATION_FORMAT}`);
  return ms;
}
