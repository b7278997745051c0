// What a provider hands back for one query at one instant: a value, no data, or an error, always as data, so a
// failed query is an Error measurement rather than an exception that would skip the rules.

/** How fresh and how dense the release's series were at the instant of a measurement. */
export interface Evidence {
  /** Samples in the analysis range on the release's densest series (0 when it has none). */
  readonly samples: number;
  /** Seconds between the measurement instant and the release's newest sample; absent when it has no recent sample. */
  readonly newestSampleAgeSeconds?: number;
}

export type Measurement =
  | { readonly kind: 'value'; readonly at: Date; readonly value: number; readonly evidence?: Evidence }
  | { readonly kind: 'no-data'; readonly at: Date; readonly evidence?: Evidence }
  | { readonly kind: 'error'; readonly at: Date; readonly error: string };
