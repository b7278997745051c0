// jsonBody accepts exactly what its 415 answer says (UTF-8 JSON without content encoding) and reads it as JSON.
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type Response } from 'express';
import fc from 'fast-check';
import supertest from 'supertest';
import { jsonBody } from './json-body';

const LIMIT = 64;

/** Echoes what the body reader produced: the parsed body, or the status and type of its error. */
function echoApp() {
  const app = express();
  app.put('/', jsonBody(LIMIT), (req: Request, res: Response) => {
    res.json({ body: req.body as unknown });
  });
  app.use((error: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ error: error.type ?? 'unknown' });
  });
  return app;
}

const app = echoApp();

function put(body: Buffer | string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return (
    supertest(app)
      .put('/')
      .set(headers)
      // Sent as the bytes given: superagent would otherwise encode a Buffer under a JSON type as JSON.
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(Buffer.from(body))
      .then((res) => ({ status: res.status, body: res.body as unknown }))
  );
}

describe('the media types a body is accepted in', () => {
  it.each([
    ['application/json', {}],
    ['application/json; charset=utf-8', {}],
    ['Application/JSON; Charset=UTF-8', {}],
    ['application/json', { 'Content-Encoding': 'identity' }],
  ])('%s %j is read', async (type, extra) => {
    expect(await put('{"a":1}', { 'Content-Type': type, ...extra })).toEqual({ status: 200, body: { body: { a: 1 } } });
  });

  it.each([
    ['application/json; charset=utf-16', {}],
    ['application/json; charset=latin1', {}],
    ['text/plain', {}],
    ['application/jsonx', {}],
    ['not a media type', {}],
    ['application/json', { 'Content-Encoding': 'gzip' }],
    ['application/json', { 'Content-Encoding': 'deflate' }],
  ])('%s %j is refused with 415, unread', async (type, extra) => {
    expect(await put('{"a":1}', { 'Content-Type': type, ...extra })).toEqual({
      status: 415,
      body: { error: 'media.unsupported' },
    });
  });

  it('a gzip body declared as such is refused, not inflated and stored', async () => {
    const res = await put(gzipSync('{"a":1}'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(415);
  });

  it('no body at all reads as an empty object, whatever the content type', async () => {
    expect(await put('', {})).toEqual({ status: 200, body: { body: {} } });
  });
});

describe('reading the JSON', () => {
  it.each([
    ['a value that is not an object', '42', 42],
    ['null', 'null', null],
    ['a byte order mark before the JSON', '\uFEFF{"a":1}', { a: 1 }],
    ['a body at the limit', `"${'x'.repeat(LIMIT - 2)}"`, 'x'.repeat(LIMIT - 2)],
  ])('%s', async (_label, text, value) => {
    expect(await put(text)).toEqual({ status: 200, body: { body: value } });
  });

  it.each([
    ['malformed JSON', '{"a":', 400, 'entity.parse.failed'],
    ['whitespace only', '   ', 400, 'entity.parse.failed'],
    ['a body over the limit', `"${'x'.repeat(LIMIT)}"`, 413, 'entity.too.large'],
  ])('%s is refused', async (_label, text, status, type) => {
    expect(await put(text)).toEqual({ status, body: { error: type } });
  });

  it('any JSON text within the limit reads as the value it encodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.json({ maxDepth: 2 }).filter((text) => Buffer.byteLength(text) <= LIMIT),
        async (text) => {
          expect(await put(text)).toEqual({ status: 200, body: { body: JSON.parse(text) as unknown } });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('any bytes are read, refused as malformed, or refused as too large: never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: LIMIT + 8 }), async (bytes) => {
        const { status } = await put(Buffer.from(bytes));
        expect(bytes.length > LIMIT ? [413] : [200, 400]).toContain(status);
      }),
      { numRuns: 100 },
    );
  });
});
