// HTTP/1.1 message rules Node's parser leaves to the application: a request must name exactly one Host (RFC 9112
// §3.2) and speak HTTP/1.0 or 1.1. A request that breaks them is answered and its connection closed, because what
// else it sent on that connection cannot be trusted to be framed as the client meant.
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problem';

const SUPPORTED_VERSIONS = new Set(['1.0', '1.1']);

export function requireConformingRequest(req: Request, res: Response, next: NextFunction): void {
  if (!SUPPORTED_VERSIONS.has(req.httpVersion)) {
    res.setHeader('Connection', 'close');
    sendProblem(res, 505, 'Only HTTP/1.0 and HTTP/1.1 are supported.');
  } else if ((req.headersDistinct.host?.length ?? 0) > 1) {
    res.setHeader('Connection', 'close');
    sendProblem(res, 400, 'A request must carry exactly one Host header.');
  } else {
    next();
  }
}
