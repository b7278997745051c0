// Drill: bodies too large to accept and clients too slow to wait for, against the real process. A declared length
// over the limit is refused before the body is read; a chunked body is cut off once it passes the limit; a body or
// headers that never arrive are timed out by the configured timeouts, in seconds.
import { BODY_LIMIT_BYTES } from '../../service/json-body';
import { startDrillService, type DrillService } from './drill-service';
import { ms, recordFigures } from './figures';
import { floodWith, rawExchange } from './raw-http';

jest.setTimeout(90_000);

const HEADERS_TIMEOUT_SECONDS = 2;
const REQUEST_TIMEOUT_SECONDS = 3;
/** Far beyond any timeout configured here: an exchange still open this long was never answered. */
const GIVE_UP_MS = 15_000;

let service: DrillService;
beforeAll(async () => {
  service = await startDrillService({
    label: 'bodies',
    env: {
      HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS),
      HTTP_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
    },
  });
});
afterAll(async () => {
  await service?.stop();
});

const PUT_HEAD = 'PUT /hello/Alice HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\n';
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/** The two bodies over the limit, each sent without end: a declared 100 GB, and an endless chunked body. */
const ENDLESS = {
  'a declared length': {
    head: `${PUT_HEAD}Content-Length: 100000000000\r\n\r\n`,
    flood: floodWith(CHUNK),
  },
  'a chunked body': {
    head: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n`,
    flood: floodWith(Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')])),
  },
};
type Endless = keyof typeof ENDLESS;

/** Sends one of the endless bodies; the client reads what comes back at once, or only after `readAfterMs`. */
function sendEndless(kind: Endless, readAfterMs?: number) {
  return rawExchange(service.port, ENDLESS[kind].head, {
    keepWriting: ENDLESS[kind].flood,
    ...(readAfterMs === undefined ? {} : { readAfterMs }),
    timeoutMs: GIVE_UP_MS,
  });
}

test('a declared length of 100 GB is answered 413 at once and the connection closed, the body unread', async () => {
  const result = await sendEndless('a declared length');
  recordFigures('HTTP edge', 'PUT declaring 100 GB, body streamed', {
    'first answer': result.statuses[0] ?? 'none',
    'ms to answer': result.firstByteMs === undefined ? 'none' : ms(result.firstByteMs),
    'closed by server': result.closedAfterMs !== undefined,
  });
  expect(result.statuses).toEqual([413]);
  expect(result.closedAfterMs).toBeDefined();
});

test('a chunked body is cut off with 413 as soon as it passes the limit', async () => {
  const result = await sendEndless('a chunked body');
  recordFigures('HTTP edge', 'PUT with an endless chunked body', {
    'first answer': result.statuses[0] ?? 'none',
    'ms to answer': result.firstByteMs === undefined ? 'none' : ms(result.firstByteMs),
  });
  expect(result.statuses).toEqual([413]);
  expect(result.closedAfterMs).toBeDefined();
});

// A client still sending when the answer comes may look at it only later. Were the connection torn down with its
// body unread, the kernel would reset it and the client's kernel drop the answer it had not read yet: the client
// would see "connection reset" instead of 413. The server half-closes and drains instead, so the answer arrives.
const READ_LATE_MS = 1_000;

test.each(Object.keys(ENDLESS) as Endless[])(
  'a client that reads late still gets the 413 for %s over the limit',
  async (kind) => {
    const result = await sendEndless(kind, READ_LATE_MS);
    recordFigures('HTTP edge', `PUT with ${kind} over the limit, answer read after ${READ_LATE_MS} ms`, {
      'first answer': result.statuses[0] ?? 'none',
      'closed after ms': result.closedAfterMs === undefined ? 'still open' : ms(result.closedAfterMs),
    });
    expect(result.statuses).toEqual([413]);
    expect(result.closedAfterMs).toBeDefined();
  },
);

test('a client that floods and never reads its answer is cut off, not held', async () => {
  const result = await sendEndless('a declared length', GIVE_UP_MS);
  recordFigures('HTTP edge', 'PUT declaring 100 GB, flooding, answer never read', {
    'closed after ms': result.closedAfterMs === undefined ? 'still open' : ms(result.closedAfterMs),
  });
  expect(result.closedAfterMs).toBeDefined();
});

test('a request sent behind a refused body is not served', async () => {
  const body = Buffer.alloc(BODY_LIMIT_BYTES * 4, 0x20);
  const request = Buffer.concat([
    Buffer.from(`${PUT_HEAD}Content-Length: ${body.length}\r\n\r\n`),
    body,
    Buffer.from('GET /hello/Alice HTTP/1.1\r\nHost: drill\r\n\r\n'),
  ]);
  const result = await rawExchange(service.port, request, { readAfterMs: READ_LATE_MS, timeoutMs: GIVE_UP_MS });
  expect(result.statuses).toEqual([413]);
  expect(result.closedAfterMs).toBeDefined();
});

test('a body that never arrives is timed out by the request timeout, not held for minutes', async () => {
  const result = await rawExchange(service.port, `${PUT_HEAD}Content-Length: 10000\r\n\r\n`, { timeoutMs: GIVE_UP_MS });
  recordFigures('HTTP edge', `declared body never sent (request timeout ${REQUEST_TIMEOUT_SECONDS} s)`, {
    answer: result.statuses[0] ?? 'none',
    'closed after ms': result.closedAfterMs === undefined ? 'still open' : ms(result.closedAfterMs),
  });
  expect(result.statuses).toEqual([408]);
  expect(result.closedAfterMs).toBeDefined();
});

test('headers that never finish are timed out by the headers timeout', async () => {
  const result = await rawExchange(service.port, 'GET /healthz HTTP/1.1\r\nHost: drill\r\nX-Slow: ', {
    timeoutMs: GIVE_UP_MS,
  });
  recordFigures('HTTP edge', `headers never finished (headers timeout ${HEADERS_TIMEOUT_SECONDS} s)`, {
    answer: result.statuses[0] ?? 'none',
    'closed after ms': result.closedAfterMs === undefined ? 'still open' : ms(result.closedAfterMs),
  });
  expect(result.closedAfterMs).toBeDefined();
  expect(result.closedAfterMs!).toBeLessThan(GIVE_UP_MS);
});
