// Closing a connection the client is still sending on, without losing the answer (RFC 9112 §9.6, "Tear-down").
//
// Node ends a connection it answered with `Connection: close` by destroying the socket as soon as the answer is
// flushed. When the client is still sending (the rest of a refused 100 GB upload, requests pipelined behind a refused
// one), the kernel answers those unread bytes with a reset, and a reset makes the client's kernel drop whatever it
// has not read yet: the answer itself. The client sees "connection reset" instead of 413, and cannot tell a refusal
// from a crash. So the server closes in stages, as the RFC describes: it half-closes (its answer, then FIN), reads
// and discards what still arrives, and closes once the client closes its side, or at a bound.
import type http from 'node:http';
import { Socket } from 'node:net';

export interface StagedCloseOptions {
  /** A half-closed connection is closed after this even if the client never closes its side. */
  readonly lingerMs: number;
  /**
   * At most this much of what the client still sends is read and thrown away. Past it the socket stops reading (the
   * client's writes stall against a full window, costing nothing) until the client closes or the linger ends: a
   * client that keeps flooding cannot buy CPU with it.
   */
  readonly lingerBytes: number;
}

/** nginx's `lingering_timeout`; a megabyte is more than a client has in flight when it reads the answer. */
export const DEFAULT_STAGED_CLOSE: StagedCloseOptions = { lingerMs: 5_000, lingerBytes: 1024 * 1024 };

/** Makes every connection of `server` close in stages. Call once, before it listens. */
export function closeInStages(server: http.Server, options: StagedCloseOptions = DEFAULT_STAGED_CLOSE): void {
  server.on('connection', (socket: Socket) => {
    // The one method Node's HTTP server calls to end a connection after its last answer.
    socket.destroySoon = () => closeInStagesNow(socket, options);
  });
}

function closeInStagesNow(socket: Socket, { lingerMs, lingerBytes }: StagedCloseOptions): void {
  if (socket.destroyed) return;
  if (socket.readableEnded) {
    // The client already closed its side: nothing more can arrive, so nothing can be reset.
    Socket.prototype.destroySoon.call(socket);
    return;
  }
  socket.end();
  // Whatever arrives now is no request: the HTTP parser (Node's 'data' listener) stops seeing it.
  socket.removeAllListeners('data');
  let discarded = 0;
  socket.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > lingerBytes) socket.pause();
  });
  socket.once('end', () => socket.destroy());
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
