import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** A JSON body serialised once, with the ETag Express would compute for it. */
export interface CachedJson {
  body: Buffer;
  etag: string;
}

/** Serialises `value` once and computes its ETag once (the weak `W/"<len>-<sha1>"` form Express uses). */
export function cachedJson(value: unknown): CachedJson {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"` };
}

/**
 * Sends a cached body through Express' `send` (conditional GET → 304, HEAD,
 * Content-Length), with the ETag given so that Express does not hash the
 * body again, and no per-request conversion of a string to bytes.
 */
export function sendCachedJson(res: Response, cached: CachedJson): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', cached.etag);
  res.send(cached.body);
}
