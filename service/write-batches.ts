// Coalesces concurrent writes into batches: one statement, so one transaction and one commit, for every write that
// arrived while earlier batches were in flight. A lone write starts at the end of the current event-loop turn (so the
// requests read in that turn share it); nothing ever waits for a timer.
import type { IsoDate } from './users';

/** One row of a batch: a user's key and the date it ends up with. */
export interface BatchRow {
  readonly key: string;
  readonly dateOfBirth: IsoDate;
}

/** Writes the rows in one statement: all of them committed, or none. */
export type CommitBatch = (rows: readonly BatchRow[]) => Promise<void>;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending {
  dateOfBirth: IsoDate;
  readonly waiters: Waiter[];
}

/**
 * At most `maxInFlight` batches are in flight, and never two holding the same key: a write for a key that is being
 * committed waits for the next batch after that one, so it lands after it. Writes to one key that wait for the same
 * batch collapse into one row holding the last of them, as if they had run one after another in arrival order.
 * Each batch holds its keys in one sorted order, so batches of several instances lock rows in the same order and
 * never deadlock.
 */
export class WriteBatches {
  /** Waiting writes by key, in arrival order of each key's first write. */
  private pending = new Map<string, Pending>();
  private readonly inFlightKeys = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  /**
   * @param maxRows rows per statement; the rest wait for the next one. Bounds the statement's size and the keys its
   *   change notification carries.
   * @param maxInFlight batches committing at once (each holds a connection of the pool).
   * @param failsWaiting whether a batch's error says the next batch would fail too (the database is unreachable):
   *   then the writes waiting behind it fail with it at once, instead of each waiting out a timeout of its own.
   */
  constructor(
    private readonly commit: CommitBatch,
    private readonly maxRows: number,
    private readonly maxInFlight: number,
    private readonly failsWaiting: (error: unknown) => boolean = () => false,
  ) {}

  /** Resolves once a batch holding this write (or a later one to the same key) is committed; rejects as it fails. */
  write(key: string, dateOfBirth: IsoDate): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) {
        waiting.dateOfBirth = dateOfBirth;
        waiting.waiters.push({ resolve, reject });
      } else {
        this.pending.set(key, { dateOfBirth, waiters: [{ resolve, reject }] });
      }
      this.schedule();
    });
  }

  /** Starts batches at the end of this event-loop turn, so the writes that arrive during it join them. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.start());
    });
  }

  /** Starts one batch of the waiting writes whose keys are not in flight; false when there is none. */
  private start(): boolean {
    const batch = this.take();
    if (batch.size === 0) return false;
    this.inFlight++;
    const rows = [...batch.keys()].sort().map((key) => ({ key, dateOfBirth: batch.get(key)!.dateOfBirth }));
    for (const { key } of rows) this.inFlightKeys.add(key);
    // A commit that throws synchronously still rejects every waiter of its batch.
    void Promise.resolve()
      .then(() => this.commit(rows))
      .then(
        () => settle(batch, (waiter) => waiter.resolve()),
        (error: unknown) => {
          settle(batch, (waiter) => waiter.reject(error));
          // This batch stored nothing and is over: writes to its keys need not land after it, so they fail with it
          // too (with only a few hot users, most waiting writes share a key with the batch in flight).
          for (const { key } of rows) this.inFlightKeys.delete(key);
          if (this.failsWaiting(error)) this.failWaiting(error);
        },
      )
      .finally(() => {
        for (const { key } of rows) this.inFlightKeys.delete(key);
        this.inFlight--;
        this.schedule();
      });
    return true;
  }

  /** Fails every waiting write whose key is not in another batch in flight; none was sent, so none is stored. */
  private failWaiting(error: unknown): void {
    const failed = new Map([...this.pending].filter(([key]) => !this.inFlightKeys.has(key)));
    for (const key of failed.keys()) this.pending.delete(key);
    settle(failed, (waiter) => waiter.reject(error));
  }

  /** Up to `maxRows` waiting writes whose keys are not in flight, first come first; the others keep waiting. */
  private take(): Map<string, Pending> {
    if (this.pending.size <= this.maxRows && this.inFlightKeys.size === 0) {
      const all = this.pending;
      this.pending = new Map();
      return all;
    }
    const batch = new Map<string, Pending>();
    for (const [key, entry] of this.pending) {
      if (batch.size === this.maxRows) break;
      if (!this.inFlightKeys.has(key)) batch.set(key, entry);
    }
    for (const key of batch.keys()) this.pending.delete(key);
    return batch;
  }
}

function settle(batch: Map<string, Pending>, outcome: (waiter: Waiter) => void): void {
  for (const { waiters } of batch.values()) for (const waiter of waiters) outcome(waiter);
}
