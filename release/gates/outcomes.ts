// The closed set of outcomes a measurement, a gate, a cluster check and a whole verification can have, ordered by
// severity so that "the worst of these" is one function and every layer agrees on what beats what.

/** Least to most severe. A failure (evidence of a bad release) outranks an error (no evidence either way). */
export const OUTCOMES = ['pass', 'inconclusive', 'error', 'fail'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const rank = (o: Outcome): number => OUTCOMES.indexOf(o);

/** The most severe of the outcomes; an empty list is inconclusive, because nothing measured never passes. */
export function worst(outcomes: Iterable<Outcome>): Outcome {
  let result: Outcome | undefined;
  for (const o of outcomes) if (result === undefined || rank(o) > rank(result)) result = o;
  return result ?? 'inconclusive';
}

/** Process exit codes: 0 passed or done, 1 a gate failed or the action was refused, 2 the tool could not decide. */
export const EXIT_CODES = { pass: 0, fail: 1, inconclusive: 2, error: 2 } as const satisfies Record<Outcome, number>;

export function exitCode(outcome: Outcome): 0 | 1 | 2 {
  return EXIT_CODES[outcome];
}
