import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AUTH_REQUIREMENT, AuthenticatedRequest, AuthRequirement } from '../common/auth/auth-user';
import { unauthenticated } from '../common/errors/app-error';
import { routeMetadata } from '../common/guards/route-metadata';
import { requestContext } from '../common/request-context';
import { AccessTokenService } from './access-tokens.service';
import { ACCESS_COOKIE } from './auth.constants';

/** The access token of a request: `Authorization: Bearer …` first, else the `access_token` cookie. */
export function accessTokenOf(req: AuthenticatedRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? match[1] : undefined;
  }
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[ACCESS_COOKIE];
  return typeof cookie === 'string' && cookie ? cookie : undefined;
}

/**
 * Global guard (the first one): on routes marked `@Authenticated()` it
 * requires a valid, unrevoked access token and sets `req.user` and the
 * request context's user id. Other routes pass untouched.
 *
 * Every answer of an authenticated route is private to its user: it is
 * marked `Cache-Control: no-store` here, before the token is checked, so
 * successes and errors alike (401, 403, 404, 422 …) are never stored by a
 * browser, proxy or CDN.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  /** Synchronous on public routes (no promise for Nest to await), async only when a token must be checked. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirement = routeMetadata<AuthRequirement>(this.reflector, AUTH_REQUIREMENT, context);
    if (!requirement) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    return this.authenticate(context.switchToHttp().getRequest<AuthenticatedRequest>());
  }

  private async authenticate(req: AuthenticatedRequest): Promise<boolean> {
    const token = accessTokenOf(req);
    if (!token) throw unauthenticated('UNAUTHENTICATED', 'Sign in first: send an access token as a Bearer header or the access_token cookie');
    req.user = await this.tokens.authenticate(token);
    const ctx = requestContext.getStore();
    if (ctx) ctx.userId = req.user.id;
    return true;
  }
}
