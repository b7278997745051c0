// The public API's routes: parse the request, call the use case, map the answer. Errors go to the problem handler.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type GreetingDeps, greet, rememberBirthday } from './greeting';
import { methodNotAllowed, sendProblem } from './problem';

/** The route pattern, also the `route` label of these requests' metrics. */
export const HELLO_ROUTE = '/hello/:username';
const HELLO_PREFIX = '/hello/';
export const BODY_LIMIT_BYTES = 16 * 1024;
/**
 * HEAD is refused like any other method: the contract offers GET and PUT only, and a HEAD would cost the same
 * database read as a GET to return nothing a client needs.
 */
const ALLOWED_METHODS = ['GET', 'PUT'] as const;

export function mountHelloRoutes(app: Express, deps: GreetingDeps): void {
  // The body parser runs on PUT only, after the content type was checked, so it parses whatever it is given.
  const parseJson = express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: () => true });
  const notAllowed = methodNotAllowed(ALLOWED_METHODS);

  app
    .route(HELLO_ROUTE)
    .get(async (req, res) => {
      res.json({ message: await greet(deps, rawUsername(req)) });
    })
    .put(requireJsonContent, parseJson, async (req, res) => {
      await rememberBirthday(deps, rawUsername(req), req.body);
      res.status(204).end();
    })
    .head(notAllowed)
    .all(notAllowed);
}

/**
 * The username exactly as the path spells it, before percent-decoding: `%41lice` is not `Alice` but an invalid
 * name. Routing is case-sensitive, so the path starts with the prefix as written here.
 */
function rawUsername(req: Request): string {
  return req.path.slice(HELLO_PREFIX.length);
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
