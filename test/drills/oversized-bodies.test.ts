// Drill: bodies too large to accept and clients too slow to wait for, against the real process. A declared length
// over the limit is refused before the body is read; a chunked body is cut off once it passes the limit; a body or
// headers that never arrive are timed out by the configured timeouts, in seconds.
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

test('a declared length of 100 GB is answered 413 at once and the connection closed, the body unread', async () => {
  const result = await rawExchange(service.port, `${PUT_HEAD}Content-Length: 100000000000\r\n\r\n`, {
    keepWriting: floodWith(CHUNK),
    timeoutMs: GIVE_UP_MS,
  });
  recordFigures('HTTP edge', 'PUT declaring 100 GB, body streamed', {
    'first answer': result.statuses[0] ?? 'none',
    'ms to answer': result.firstByteMs === undefined ? 'none' : ms(result.firstByteMs),
    'closed by server': result.closedAfterMs !== undefined,
  });
  expect(result.statuses).toEqual([413]);
  expect(result.closedAfterMs).toBeDefined();
});

test('a chunked body is cut off with 413 as soon as it passes the limit', async () => {
  const chunk = Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')]);
  const result = await rawExchange(service.port, `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n`, {
    keepWriting: floodWith(chunk),
    timeoutMs: GIVE_UP_MS,
  });
  recordFigures('HTTP edge', 'PUT with an endless chunked body', {
    'first answer': result.statuses[0] ?? 'none',
    'ms to answer': result.firstByteMs === undefined ? 'none' : ms(result.firstByteMs),
  });
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
