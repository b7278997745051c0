// Waiting on a condition instead of sleeping: polls a probe until it holds, failing the test with a message naming
// what never happened.

export interface WaitOptions {
  /** How long to wait before failing. @default 5_000 */
  readonly timeoutMs?: number;
  /** Milliseconds between two probes. @default 10 */
  readonly everyMs?: number;
  /**
   * A probe that throws means "not yet" (a server still starting refuses connections); the last error is named in
   * the failure if time runs out. @default false: the first error fails the wait
   */
  readonly retryErrors?: boolean;
}

/** Resolves with the probe's first answer that is neither undefined nor false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 5_000, everyMs = 10, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      if (!retryErrors) throw e;
      last = String(e);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
