import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { forbidden } from '../errors/app-error';
import { routeMetadata } from './route-metadata';

export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';
/** Cookies whose presence makes a request "cookie-authenticated". */
export const AUTH_COOKIES = ['access_token', 'refresh_token'];
const SKIP_CSRF = 'cv:skip-csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** For endpoints called by other servers, never by a browser session (webhooks). */
export const SkipCsrf = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_CSRF, true);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Double-submit CSRF check. A state-changing request that a browser could
 * send on its own (authenticated by cookie, no Authorization header) must
 * echo the `csrf_token` cookie in the `X-CSRF-Token` header; a cross-site
 * page can make the browser send the cookie but cannot read it to echo it.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method)) return true;
    if (routeMetadata<boolean>(this.reflector, SKIP_CSRF, context)) return true;
    if (req.headers.authorization) return true;
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    if (!AUTH_COOKIES.some((c) => cookies[c])) return true;
    const cookie = cookies[CSRF_COOKIE];
    const header = req.headers[CSRF_HEADER];
    if (typeof cookie === 'string' && typeof header === 'string' && cookie.length >= 16 && same(cookie, header)) return true;
    throw forbidden('CSRF_INVALID', 'Missing or invalid CSRF token: send the csrf_token cookie value in the X-CSRF-Token header (GET /api/csrf)');
  }
}
