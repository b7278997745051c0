// Reads a PUT's JSON body. The common request (`Content-Type: application/json`, a Content-Length within the
// limit, no content or transfer encoding) is read and parsed directly; every other request goes through the
// content-type check and express.json, which decide its fate (415, 413, inflating, charsets) exactly as before.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { sendProblem } from './problem';

/** The one spelling of the media type the fast path takes; any other (parameters, case) takes the full path. */
const FAST_CONTENT_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const DECIMAL = /^[0-9]+$/;
const BYTE_ORDER_MARK = '\uFEFF';

/** A body-parser-shaped error (`status` and `type`), so the problem handler maps both paths' errors alike. */
function bodyError(message: string, type: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { status: 400, statusCode: 400, expose: true, type });
}

/**
 * Middleware for PUT routes: sets `req.body` to the parsed JSON value (any value, not only objects: validation
 * says what is wrong with it). The fast path parses what express.json would, as it would: UTF-8 with a leading byte
 * order mark dropped, invalid bytes replaced, and a parse failure is `entity.parse.failed`.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  // The body parser runs after the content type was checked, so it parses whatever it is given.
  const parseJson = express.json({ limit: limitBytes, strict: false, type: () => true });

  return (req: Request, res: Response, next: NextFunction): void => {
    const { headers } = req;
    const length = headers['content-length'];
    const fast =
      FAST_CONTENT_TYPES.has(headers['content-type'] ?? '') &&
      headers['content-encoding'] === undefined &&
      headers['transfer-encoding'] === undefined &&
      length !== undefined &&
      DECIMAL.test(length) &&
      Number(length) > 0 &&
      Number(length) <= limitBytes;
    if (!fast) {
      requireJsonContent(req, res, (error?: unknown) => (error ? next(error) : parseJson(req, res, next)));
      return;
    }
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      next(error);
    };
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('aborted', () => settle(bodyError('request aborted', 'request.aborted')));
    req.on('error', (error) => settle(error));
    req.on('end', () => {
      let text = Buffer.concat(chunks).toString('utf8');
      if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (error) {
        settle(bodyError(error instanceof Error ? error.message : 'invalid JSON', 'entity.parse.failed', error));
        return;
      }
      settle();
    });
  };
}

/** 415 for a body in another media type than JSON. A PUT without any body goes on, to fail validation with 400. */
function requireJsonContent(req: Request, res: Response, next: NextFunction): void {
  const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
  if (!empty && req.is('application/json') === false) {
    sendProblem(res, 415, 'The body must be application/json.');
    return;
  }
  next();
}
