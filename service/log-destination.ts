// Where the service's log lines go: stdout, one write per turn of the event loop. Under load a turn answers many
// requests, and one write system call per access line cost about as much CPU as the rest of a cached GET
// (bench/RESULTS.md); idle, a line still leaves at the end of the turn that logged it.
import pino from 'pino';

/** Past this many queued characters the batch is written at once, so a burst never piles up in memory. */
const MAX_BATCH_CHARS = 64 * 1024;

export interface BatchedDestination extends pino.DestinationStream {
  /** Writes every queued line now, synchronously. */
  flushSync(): void;
  /** Writes every queued line, then calls back (pino's `logger.flush(cb)` ends here). */
  flush(callback?: (error?: Error) => void): void;
}

/**
 * Lines are queued and written together, synchronously, when the turn ends (`setImmediate`), through pino's own
 * synchronous destination (partial writes and a full pipe's EAGAIN handled). Nothing queued is lost on the way out:
 * the shutdown path flushes, and so does the process's `exit` event, which every `process.exit` raises; only a
 * SIGKILL could lose the last turn's lines.
 */
export function batchedStdout(fd: number = process.stdout.fd): BatchedDestination {
  const sink = pino.destination({ dest: fd, sync: true });
  let queued = '';
  let scheduled = false;

  const flushSync = (): void => {
    scheduled = false;
    if (queued === '') return;
    const batch = queued;
    queued = '';
    sink.write(batch);
  };
  process.on('exit', flushSync);

  return {
    write(line: string): void {
      queued += line;
      if (queued.length >= MAX_BATCH_CHARS) {
        flushSync();
      } else if (!scheduled) {
        scheduled = true;
        setImmediate(flushSync);
      }
    },
    flushSync,
    flush(callback) {
      try {
        flushSync();
      } catch (error) {
        callback?.(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      callback?.();
    },
  };
}
