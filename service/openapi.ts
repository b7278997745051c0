// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, and the Swagger UI serving it.
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Express, NextFunction, Request, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { APP_NAME, PATHS } from '../contract/runtime';
import { docsAssets } from './docs-assets';
import { BODY_LIMIT_TEXT, UNSUPPORTED_BODY_MESSAGE } from './json-body';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem';
import { GreetingSchema, SaveBirthdayBodySchema, UsernameSchema } from './validation';

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' as const } },
};

export function openApiDocument(release: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const params = z.object({ username: UsernameSchema });
  const common = {
    400: problem('A validation failure: `errors` names each bad field. Nothing was stored.'),
    405: problem('Another method than GET or PUT; the `Allow` header lists them.'),
    503: {
      ...problem(
        'The database is unreachable, or the process is at its connection or pipelining limit; retry after `Retry-After` seconds.',
      ),
      headers: RETRY_AFTER,
    },
  };

  registry.registerPath({
    method: 'get',
    path: '/hello/{username}',
    summary: 'Greet a user by their next birthday',
    request: { params },
    responses: {
      200: {
        description:
          '"Happy birthday!" on the day (29 February is celebrated on 28 February in common years), else the whole days until the next birthday, counted in the service\'s time zone.',
        content: { 'application/json': { schema: GreetingSchema } },
      },
      404: problem('No date of birth is stored for this username.'),
      ...common,
    },
  });

  registry.registerPath({
    method: 'put',
    path: '/hello/{username}',
    summary: "Create or replace a user's date of birth",
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: SaveBirthdayBodySchema } } },
    },
    responses: {
      204: { description: 'Stored.' },
      413: problem(`The body is larger than ${BODY_LIMIT_TEXT}.`),
      415: problem(UNSUPPORTED_BODY_MESSAGE),
      ...common,
    },
  });

  const text = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });
  registry.registerPath({
    method: 'get',
    path: PATHS.health,
    summary: 'Liveness: the process serves requests (no database call)',
    responses: {
      200: {
        description: 'Alive.',
        content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: PATHS.ready,
    summary: 'Readiness: the database answers, every migration is applied, and the process is not shutting down',
    responses: {
      200: {
        description: 'Ready.',
        content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
      },
      503: problem('Not ready.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: PATHS.metrics,
    summary: 'Prometheus metrics',
    responses: { 200: text('Prometheus text exposition format.') },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hello API',
      version: release,
      description: `${APP_NAME}: stores dates of birth and greets users by their next birthday.`,
    },
  });
}

/** Serves `/openapi.json` and the Swagger UI under `/docs/` (its assets are relative, hence the trailing slash). */
export function mountOpenApi(app: Express, release: string): void {
  const document = openApiDocument(release);
  // Encoded once: every answer shares the one buffer instead of encoding its own copy of the document.
  const json = Buffer.from(JSON.stringify(document));
  app.get(PATHS.openapi, (_req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.send(json);
  });
  // swagger-ui-express serves the page and its init script (strings); its static handler is replaced by docsAssets.
  const [serveInitScript] = swaggerUi.serveFiles(document);
  app.get(PATHS.docs, (_req, res) => res.redirect(301, `${PATHS.docs}/`));
  // serveFiles (not `serve`) keeps the document in this app instance instead of swagger-ui-express's module state.
  app.use(
    PATHS.docs,
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.route = PATHS.docs;
      next();
    },
    serveInitScript!,
    docsAssets(),
    // An unset customCss is written into the page as the word "undefined".
    swaggerUi.setup(document, { customSiteTitle: 'Hello API', customCss: '' }),
  );
}
