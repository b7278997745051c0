// Drill: requests that break HTTP/1.1's framing rules, sent raw to the real process. Two Host headers are refused
// (RFC 9112 §3.2), HTTP/0.9 is closed instead of held, and a body is accepted only as the 415 answer says: UTF-8
// JSON without content encoding.
import { gzipSync } from 'node:zlib';
import { startDrillService, type DrillService } from './drill-service';
import { ms, recordFigures } from './figures';
import { rawExchange } from './raw-http';

jest.setTimeout(60_000);

const HEADERS_TIMEOUT_SECONDS = 2;
const GIVE_UP_MS = 15_000;

let service: DrillService;
beforeAll(async () => {
  service = await startDrillService({
    label: 'conformance',
    env: { HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS) },
  });
});
afterAll(async () => {
  await service?.stop();
});

test('a request with two Host headers is 400 and its connection closed', async () => {
  const result = await rawExchange(service.port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', {
    timeoutMs: GIVE_UP_MS,
  });
  expect(result.statuses).toEqual([400]);
  expect(result.closedAfterMs).toBeDefined();
});

test('an HTTP/0.9 request is refused and closed, not served or held', async () => {
  const complete = await rawExchange(service.port, 'GET /healthz\r\n\r\n', { timeoutMs: GIVE_UP_MS });
  const bare = await rawExchange(service.port, 'GET /healthz\r\n', { timeoutMs: GIVE_UP_MS });
  recordFigures('HTTP edge', 'HTTP/0.9 requests', {
    'with a blank line': `${complete.statuses[0] ?? 'none'}, closed after ${ms(complete.closedAfterMs ?? GIVE_UP_MS)} ms`,
    'request line only': `${bare.statuses[0] ?? 'none'}, closed after ${ms(bare.closedAfterMs ?? GIVE_UP_MS)} ms`,
  });
  expect(complete.statuses).toEqual([505]);
  expect(complete.closedAfterMs).toBeDefined();
  // A bare request line is indistinguishable from slow headers until more arrives: the headers timeout closes it.
  expect(bare.closedAfterMs).toBeDefined();
  expect(bare.statuses).not.toContain(200);
});

describe('a body is accepted exactly as UTF-8 JSON without content encoding', () => {
  const body = JSON.stringify({ dateOfBirth: '1990-01-02' });
  const putWith = (headers: string, payload: Buffer) =>
    rawExchange(
      service.port,
      Buffer.concat([
        Buffer.from(
          `PUT /hello/Conformance HTTP/1.1\r\nHost: drill\r\nConnection: close\r\n${headers}Content-Length: ${payload.length}\r\n\r\n`,
        ),
        payload,
      ]),
      { timeoutMs: GIVE_UP_MS },
    );

  test.each([
    ['charset=utf-16', 'Content-Type: application/json; charset=utf-16\r\n', Buffer.from(body, 'utf16le')],
    ['charset=latin1', 'Content-Type: application/json; charset=latin1\r\n', Buffer.from(body, 'latin1')],
    ['gzip', 'Content-Type: application/json\r\nContent-Encoding: gzip\r\n', gzipSync(body)],
  ])('%s is 415 with the rule in its message, and nothing is stored', async (_label, headers, payload) => {
    const result = await putWith(headers, payload);
    expect(result.statuses).toEqual([415]);
    expect(result.text).toContain('UTF-8 JSON (application/json) without content encoding');
    const stored = await fetch(`http://127.0.0.1:${service.port}/hello/Conformance`);
    expect(stored.status).toBe(404);
  });

  test('UTF-8 JSON, with or without the charset named, is stored', async () => {
    const result = await putWith('Content-Type: application/json; charset=UTF-8\r\n', Buffer.from(body));
    expect(result.statuses).toEqual([204]);
  });
});
