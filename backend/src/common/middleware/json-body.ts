import express, { type RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';

/** The nesting depth no body of this API needs more than (its deepest DTO is 3 levels): 400 INVALID_BODY above it. */
export const MAX_JSON_DEPTH = 32;

/** What the JSON parser throws for a body nested too deeply; the error filter answers 400 INVALID_BODY. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  constructor(readonly maxDepth: number) {
    super(`The request body is nested deeper than ${maxDepth} levels`);
  }
}

/** JSON bodies are UTF-8 (RFC 8259 §8.1); the depth scan reads bytes, so other charsets are refused (415). */
export class JsonCharsetError extends Error {
  readonly status = 415;
  readonly statusCode = 415;
  readonly expose = true;
  readonly type = 'charset.unsupported';
  constructor(readonly charset: string) {
    super(`JSON bodies must be UTF-8, not ${charset}`);
  }
}

/**
 * Whether the JSON text in `buf` opens more than `max` arrays/objects at once.
 * One pass over the raw bytes before JSON.parse (no allocation): brackets inside
 * strings do not count (UTF-8 continuation bytes are >= 0x80, so never a quote,
 * backslash or bracket). Invalid JSON is left to JSON.parse to refuse.
 */
export function jsonNestedDeeperThan(buf: Uint8Array, max: number): boolean {
  if (buf.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export interface JsonBodyOptions {
  /** Body size limit (body-parser syntax: '1mb'). */
  limit: string;
  maxDepth?: number;
  /**
   * Routes (URL prefixes) with their own, smaller limit, whose body is read as JSON
   * whatever its Content-Type, so no other parser reads a bigger one (e.g. webhooks).
   */
  routes?: { prefix: string; limit: string }[];
}

/**
 * express.json with a nesting limit checked on the raw bytes in its `verify`
 * hook (before JSON.parse, so class-transformer, class-validator and the IPN
 * signature code never see a deep body), and smaller limits for some routes.
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const verify = (req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buf: Buffer, encoding: string): void => {
    if (encoding !== 'utf-8') throw new JsonCharsetError(encoding);
    if (jsonNestedDeeperThan(buf, maxDepth)) throw new JsonTooDeepError(maxDepth);
    // The bytes as sent (no copy): an API key's signature covers their SHA-256 (auth/api-keys).
    req.rawBody = buf;
  };
  const main = express.json({ limit: options.limit, verify });
  const routes = (options.routes ?? []).map((r) => ({ prefix: r.prefix.toLowerCase(), parser: express.json({ limit: r.limit, verify, type: () => true }) }));
  if (!routes.length) return main;
  return function json(req, res, next) {
    // Express matches routes case-insensitively: so does this.
    const url = req.url.toLowerCase();
    for (const r of routes) if (url.startsWith(r.prefix)) return r.parser(req, res, next);
    return main(req, res, next);
  };
}
