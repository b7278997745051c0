// Which errors from pg, the Prisma adapter and Prisma mean "the database cannot be reached or answer in time" (a 503
// the client may retry) rather than a bug; the repository turns exactly those into DatabaseUnavailable.

/** Socket-level failures: refused, reset, unreachable, timed out. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that is going away, starting, overloaded or too slow: connection exceptions (class 08),
 * insufficient resources (53), operator intervention (57: admin shutdown, crash shutdown, cannot connect now, and
 * 57014 query_canceled, which is how statement_timeout ends a query).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;

/** Prisma's codes for the same situations: can't reach, timed out, connection closed, pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** The driver adapter's error kinds for the same situations. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** Messages pg uses for its own client-side timeouts and dropped connections, which carry no code. */
const PG_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

function fields(error: unknown): Record<string, unknown> {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

/** One error's own verdict, ignoring what it wraps. */
function saysUnavailable(error: unknown): boolean {
  const { code, message, kind } = fields(error);
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE.test(code)) return true;
  }
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m));
}

/** What an error wraps: its `cause`, and the driver adapter error Prisma keeps in `meta.driverAdapterError`. */
function wrapped(error: unknown): unknown[] {
  const { cause, meta } = fields(error);
  return [cause, fields(meta).driverAdapterError].filter((inner) => inner != null);
}

/** True when `error`, or anything it wraps, says the database is unreachable or too slow. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue = [error];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    if (seen.has(current)) continue;
    seen.add(current);
    if (saysUnavailable(current)) return true;
    queue.push(...wrapped(current));
  }
  return false;
}
