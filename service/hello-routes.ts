// The public API's routes: parse the request, call the use case, map the answer. Errors go to the problem handler.
import type { Express, Request } from 'express';
import { type GreetingDeps, greet, rememberBirthday } from './greeting';
import { jsonBody } from './json-body';
import { methodNotAllowed } from './problem';

/** The route pattern, also the `route` label of these requests' metrics. */
export const HELLO_ROUTE = '/hello/:username';
const HELLO_PREFIX = '/hello/';
/**
 * HEAD is refused like any other method: the contract offers GET and PUT only, and a HEAD would cost the same
 * database read as a GET to return nothing a client needs.
 */
const ALLOWED_METHODS = ['GET', 'PUT'] as const;

export function mountHelloRoutes(app: Express, deps: GreetingDeps): void {
  // Bodies are read on PUT only.
  const readBody = jsonBody();
  const notAllowed = methodNotAllowed(ALLOWED_METHODS);

  app
    .route(HELLO_ROUTE)
    .get(async (req, res) => {
      res.json({ message: await greet(deps, rawUsername(req)) });
    })
    .put(readBody, async (req, res) => {
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
