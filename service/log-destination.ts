// Where the service's log lines go: stdout through pino's asynchronous destination, with a bounded backlog. A
// reader that stops draining stdout (a stalled log pipeline, a parent that never reads the pipe) must never stall
// the service: lines past the backlog are dropped and counted, requests keep being answered.
import pino from 'pino';

/** Bytes of log lines held while stdout is not keeping up; past this, lines are dropped rather than queued. */
export const LOG_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface StdoutDestination extends pino.DestinationStream {
  /** Lines dropped since start because stdout did not keep up (exported as log_lines_dropped_total). */
  readonly dropped: () => number;
}

/**
 * Writes leave through the thread pool, never blocking the event loop; while one write is in flight, later lines
 * gather into the next single write (so a busy turn costs few system calls, as bench/RESULTS.md measured). pino
 * flushes this destination synchronously on process exit, and `flushLogs` drains it in the shutdown path.
 */
export function stdoutDestination(fd: number = process.stdout.fd, backlogBytes = LOG_BACKLOG_BYTES): StdoutDestination {
  const sink = pino.destination({ dest: fd, sync: false, maxLength: backlogBytes });
  let dropped = 0;
  sink.on('drop', () => (dropped += 1));
  return Object.assign(sink, { dropped: () => dropped });
}
