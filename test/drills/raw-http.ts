// Raw HTTP over a loopback socket, for the attacks a well-behaved client library cannot send: pipelined floods,
// duplicate headers, HTTP/0.9, bodies that lie about their length. Every exchange is bounded in time.
import net from 'node:net';

export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  readonly text: string;
  /** Status codes of the responses in `text`, in order. */
  readonly statuses: number[];
  /** Milliseconds from connecting until the server closed the connection; undefined if it was still open. */
  readonly closedAfterMs?: number;
  /** Milliseconds from connecting until the first byte of an answer; undefined if none came. */
  readonly firstByteMs?: number;
}

/** Status codes of the HTTP/1.1 responses in a byte stream (status lines only; bodies here never look like one). */
export function statusesIn(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
}

export interface RawOptions {
  /** Give up and close after this long. @default 10_000 */
  readonly timeoutMs?: number;
  /** Called once connected, to keep writing (a body that never ends). Stops when the socket closes. */
  readonly keepWriting?: (socket: net.Socket) => void;
  /**
   * Read nothing for this long after connecting: a client busy sending (or a proxy, or a loaded machine) that looks
   * at its answer only later. What the server sent meanwhile waits in the kernel's receive buffer.
   */
  readonly readAfterMs?: number;
}

/** Connects, writes `request`, reads until the server closes or the time is up. */
export function rawExchange(port: number, request: string | Buffer, options: RawOptions = {}): Promise<RawExchange> {
  const { timeoutMs = 10_000 } = options;
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let firstByteMs: number | undefined;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(request);
      options.keepWriting?.(socket);
    });
    if (options.readAfterMs !== undefined) {
      socket.pause();
      setTimeout(() => socket.resume(), options.readAfterMs).unref();
    }
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({
        text,
        statuses: statusesIn(text),
        ...(closed ? { closedAfterMs: performance.now() - started } : {}),
        ...(firstByteMs !== undefined ? { firstByteMs } : {}),
      });
    };
    const timer = setTimeout(() => {
      socket.removeAllListeners('close');
      socket.destroy();
      finish(false);
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      firstByteMs ??= performance.now() - started;
      chunks.push(chunk);
    });
    // A reset after the server answered and closed (it does not read what it refused) still counts as closed.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
  });
}

/** Writes as fast as the socket takes it, until it closes: a body that never ends. */
export function floodWith(chunk: Buffer): (socket: net.Socket) => void {
  return (socket) => {
    const pump = (): void => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  };
}
