// Swagger UI's static files, read once at startup and answered from memory. A file stream per request (what a static
// file handler opens) leaked its descriptor whenever a client queued pipelined requests and left: the queued
// responses never got a socket, so nothing ever closed their streams. A buffer has nothing to leak.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** The files the Swagger UI page loads, with their media types; nothing else of the package is served. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};
/** The files change only with the pinned package, i.e. with a new release. */
const CACHE_CONTROL = 'public, max-age=3600';

/** Middleware for the docs mount: answers the asset named by the path's last segment, or passes on. */
export function docsAssets(): (req: Request, res: Response, next: NextFunction) => void {
  const directory = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const files = new Map(
    Object.entries(ASSETS).map(([name, type]) => [
      `/${name}`,
      { type, body: readFileSync(path.join(directory, name)) },
    ]),
  );
  return (req, res, next) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? files.get(req.path) : undefined;
    if (!file) {
      next();
      return;
    }
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.send(file.body);
  };
}
