// The one place errors become HTTP: RFC 9457 application/problem+json bodies for every failure the API can answer.
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { DatabaseUnavailable, type FieldError, UserNotFound, ValidationError } from './errors';
import { type Logger, requestIdOf } from './logger';

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

/** Writes a problem. `type` stays `about:blank`: the status and title carry the meaning, `errors` the details. */
export function sendProblem(res: Response, status: number, detail: string, errors?: readonly FieldError[]): void {
  const problem: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (errors) problem.errors = [...errors];
  res.status(status).setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.send(JSON.stringify(problem));
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
      sendProblem(res, 400, 'The request is invalid; nothing was stored.', error.errors);
    } else if (error instanceof UserNotFound) {
      sendProblem(res, 404, `No date of birth is stored for '${error.username}'.`);
    } else if (error instanceof DatabaseUnavailable) {
      logger.warn({ requestId: requestIdOf(res), cause: describeCause(error.cause) }, 'database unavailable');
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      sendProblem(res, 503, 'The service cannot reach its database; retry later.');
    } else if (clientErrorStatus(error) !== undefined) {
      sendClientError(res, error as HttpError, clientErrorStatus(error)!);
    } else {
      logger.error(
        { requestId: requestIdOf(res), method: req.method, err: describeCause(error, true) },
        'unexpected error',
      );
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

function sendClientError(res: Response, error: HttpError, status: number): void {
  switch (error.type) {
    case 'entity.parse.failed':
      return sendProblem(res, 400, 'The request is invalid; nothing was stored.', [
        { field: 'body', message: 'is not valid JSON' },
      ]);
    case 'entity.too.large':
      return sendProblem(res, 413, 'The request body is larger than 16 KiB.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return sendProblem(res, 415, 'The body must be UTF-8 JSON without content encoding.');
    case undefined:
      // The router's only 400: a path parameter whose percent-encoding does not decode.
      if (status === 400) {
        return sendProblem(res, 400, 'The request is invalid; nothing was stored.', [
          { field: 'path.username', message: 'must be 1 to 64 ASCII letters (A-Z, a-z)' },
        ]);
      }
  }
  sendProblem(res, status, STATUS_CODES[status] ?? 'The request was not accepted.');
}

/**
 * What a log may say about an error: its name, message and stack with anything shaped like a date masked, because
 * a driver or ORM message can quote query arguments (a date of birth). Never sent to a client.
 */
function describeCause(
  cause: unknown,
  withStack = false,
): { type: string; message: string; stack?: string } | undefined {
  const mask = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}/g, '####-##-##');
  if (cause instanceof Error) {
    return {
      type: cause.name,
      message: mask(cause.message),
      ...(withStack && cause.stack ? { stack: mask(cause.stack) } : {}),
    };
  }
  if (cause === undefined) return undefined;
  return {
    type: typeof cause,
    message: mask(typeof cause === 'string' ? cause : `a thrown ${typeof cause}`),
  };
}
