// The fast path of jsonBody must read every body exactly as express.json does: the same value, or the same error.
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

/** The fast path takes `application/json`; the same bytes labelled with an upper-case charset take express.json. */
async function bothPaths(bytes: Buffer) {
  const send = (type: string) =>
    supertest(app)
      .put('/')
      .set('Content-Type', type)
      .send(bytes)
      .then((res) => ({ status: res.status, body: res.body as unknown }));
  return { fast: await send('application/json'), full: await send('application/json; charset=UTF-8') };
}

describe('jsonBody reads a body as express.json does', () => {
  it.each([
    ['an object', '{"dateOfBirth":"1990-01-02"}'],
    ['a value that is not an object', '42'],
    ['null', 'null'],
    ['an array', '["1990-01-02"]'],
    ['malformed JSON', '{"dateOfBirth":'],
    ['a byte order mark before the JSON', '\uFEFF{"a":1}'],
    ['whitespace only', '   '],
    ['a body at the limit', `"${'x'.repeat(LIMIT - 2)}"`],
    ['a body over the limit', `"${'x'.repeat(LIMIT)}"`],
  ])('%s', async (_label, text) => {
    const { fast, full } = await bothPaths(Buffer.from(text, 'utf8'));
    expect(fast).toEqual(full);
  });

  it('invalid UTF-8 bytes', async () => {
    const { fast, full } = await bothPaths(Buffer.from([0x22, 0xc3, 0x28, 0xff, 0x22]));
    expect(fast).toEqual(full);
  });

  it('any bytes up to past the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: LIMIT + 8 }), async (bytes) => {
        const { fast, full } = await bothPaths(Buffer.from(bytes));
        expect(fast).toEqual(full);
      }),
      { numRuns: 150 },
    );
  });

  it('any JSON text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 2 }), async (text) => {
        const { fast, full } = await bothPaths(Buffer.from(text, 'utf8'));
        expect(fast).toEqual(full);
      }),
      { numRuns: 150 },
    );
  });
});
