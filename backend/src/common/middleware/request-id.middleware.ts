import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../request-context';

const VALID_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when well-formed),
 * echoes it in the response, and runs the rest of the request inside the
 * context that stamps it on every log line.
 */
export function requestIdMiddleware(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  const ua = req.headers['user-agent'];
  requestContext.run({ requestId: id, ip: req.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : undefined }, next);
}
