// The one place errors become HTTP: RFC 9457 application/problem+json bodies for every failure the API can answer.
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { DatabaseUnavailable, type FieldError, UserNotFound, ValidationError } from './errors';
import { TOO_LARGE_BODY_MESSAGE, UNSUPPORTED_BODY_MESSAGE } from './json-body';
import { type Logger, requestIdOf } from './logger';
import { INVALID_USERNAME } from './validation';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Seconds a client should wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

export const FieldErrorSchema = z.strictObject({
  field: z.string().meta({ example: 'body.dateOfBirth' }),
  message: z.string().meta({ example: 'must be a real calendar date' }),
});

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'about:blank' }),
    title: z.string().meta({ example: 'Bad Request' }),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'Each invalid input field (400 only).' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export type Problem = z.infer<typeof ProblemSchema>;

/**
 * Writes a problem. `type` stays `about:blank`: the status and title carry the meaning, `errors` the details. When
 * the request's body is still arriving, the connection closes after the answer: reading a refused body to its end
 * would let a client make the server swallow gigabytes.
 */
export function sendProblem(res: Response, status: number, detail: string, errors?: readonly FieldError[]): void {
  const problem: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (errors) problem.errors = [...errors];
  if (bodyStillArriving(res.req)) res.setHeader('Connection', 'close');
  res.status(status).setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.send(JSON.stringify(problem));
}

function bodyStillArriving(req: Request | undefined): boolean {
  if (!req || req.complete) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** What a refused request changed: a GET reads, so only a PUT needs saying that nothing was stored. */
function invalidRequestDetail(req: Request): string {
  return req.method === 'PUT' ? 'The request is invalid; nothing was stored.' : 'The request is invalid.';
}

export function notFound(_req: Request, res: Response): void {
  sendProblem(res, 404, 'No resource at this path.');
}

/** A handler for the methods a route does not support. */
export function methodNotAllowed(allow: readonly string[]) {
  const header = allow.join(', ');
  return (req: Request, res: Response): void => {
    res.setHeader('Allow', header);
    sendProblem(res, 405, `${req.method} is not supported here; use ${header}.`);
  };
}

/** The errors body-parser and the router raise (http-errors), by their `type`. */
interface HttpError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
}

/** Express error middleware: maps every error to a problem. A client mistake never becomes a 5xx. */
export function problemHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error); // Express closes the connection; the body already started cannot become a problem.
      return;
    }
    if (error instanceof ValidationError) {
      sendProblem(res, 400, invalidRequestDetail(req), error.errors);
    } else if (error instanceof UserNotFound) {
      sendProblem(res, 404, `No date of birth is stored for '${error.username}'.`);
    } else if (error instanceof DatabaseUnavailable) {
      logger.warn({ requestId: requestIdOf(res), err: error.cause }, 'database unavailable');
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      sendProblem(res, 503, 'The service cannot reach its database; retry later.');
    } else if (clientErrorStatus(error) !== undefined) {
      sendClientError(req, res, error as HttpError, clientErrorStatus(error)!);
    } else {
      logger.error({ requestId: requestIdOf(res), method: req.method, err: error }, 'unexpected error');
      sendProblem(res, 500, 'An unexpected error occurred.');
    }
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as HttpError;
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

function sendClientError(req: Request, res: Response, error: HttpError, status: number): void {
  switch (error.type) {
    case 'entity.parse.failed':
      return sendProblem(res, 400, invalidRequestDetail(req), [{ field: 'body', message: 'is not valid JSON' }]);
    case 'entity.too.large':
      return sendProblem(res, 413, TOO_LARGE_BODY_MESSAGE);
    case 'media.unsupported':
      return sendProblem(res, 415, UNSUPPORTED_BODY_MESSAGE);
    case undefined:
      // The router's only 400: a path parameter whose percent-encoding does not decode.
      if (status === 400) return sendProblem(res, 400, invalidRequestDetail(req), [INVALID_USERNAME]);
  }
  sendProblem(res, status, STATUS_CODES[status] ?? 'The request was not accepted.');
}
