// Reads a PUT's JSON body under one rule, the one the 415 answer states: UTF-8 JSON without content encoding, at
// most BODY_LIMIT_BYTES. A declared length past the limit is refused before a byte is read, and a body that grows
// past it is cut off there: nothing is read to the end just to be refused.
import { parse as parseContentType } from 'content-type';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import getRawBody from 'raw-body';

export const BODY_LIMIT_BYTES = 16 * 1024;
/** The limit as the API's answers and documents write it. */
export const BODY_LIMIT_TEXT = `${BODY_LIMIT_BYTES / 1024} KiB`;
/** The 415 answer: the whole rule, and nothing accepted beyond it. */
export const UNSUPPORTED_BODY_MESSAGE = 'The body must be UTF-8 JSON (application/json) without content encoding.';
export const TOO_LARGE_BODY_MESSAGE = `The request body is larger than ${BODY_LIMIT_TEXT}.`;

const BYTE_ORDER_MARK = '\uFEFF';

/** An error shaped as body-parser's (`status`, `type`), so the problem handler maps every body error in one place. */
function bodyError(status: number, message: string, type: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { status, statusCode: status, expose: true, type });
}

/**
 * Middleware for PUT routes: sets `req.body` to the parsed JSON value (any value, not only objects: validation says
 * what is wrong with it). A leading byte order mark is dropped and invalid UTF-8 bytes are replaced, as JSON readers
 * commonly do. A PUT with no body at all reads as an empty object, so validation names the missing field.
 */
export function jsonBody(limitBytes: number = BODY_LIMIT_BYTES): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const { headers } = req;
    // Without Content-Length and Transfer-Encoding, an HTTP/1.1 request has no body.
    const length = headers['content-length'];
    if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      req.body = {};
      next();
      return;
    }
    if (!isPlainUtf8Json(headers['content-type'], headers['content-encoding'])) {
      next(bodyError(415, UNSUPPORTED_BODY_MESSAGE, 'media.unsupported'));
      return;
    }
    // raw-body refuses a declared length over the limit at once, stops reading (instead of draining) on any
    // error, and checks the received length against the declared one.
    getRawBody(req, { length, limit: limitBytes }).then(
      (bytes) => {
        let text = bytes.toString('utf8');
        if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
        try {
          req.body = JSON.parse(text) as unknown;
        } catch (error) {
          next(bodyError(400, 'invalid JSON', 'entity.parse.failed', error));
          return;
        }
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/** `application/json` with no charset or `charset=utf-8` (any case), and no content coding but `identity`. */
function isPlainUtf8Json(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') return false;
  if (contentType === undefined) return false;
  let parsed;
  try {
    parsed = parseContentType(contentType);
  } catch {
    return false;
  }
  const charset = parsed.parameters.charset?.toLowerCase();
  return parsed.type === 'application/json' && (charset === undefined || charset === 'utf-8');
}
