import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app-error';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** Whether a request has a non-empty body: chunked, or a Content-Length above 0. */
function hasContent(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * The API takes JSON bodies only: a request with a body of any other type
 * (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`:
 * what an HTML form on another site can post without a CORS preflight, and
 * what a login CSRF uses) is answered 415 UNSUPPORTED_MEDIA_TYPE before
 * anything reads it. Bodiless requests pass. `except`: paths called by other
 * servers with a body of their own format (webhooks), checked by their own routes.
 */
export function requireJsonBody(options: { except?: RegExp } = {}): RequestHandler {
  return function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
    if (!hasContent(req) || options.except?.test(req.path)) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (JSON_TYPE.test(type)) return next();
    next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON (Content-Type: application/json)'));
  };
}
