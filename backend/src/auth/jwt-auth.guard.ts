import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Response } from 'express';
import { AUTH_REQUIREMENT, AuthenticatedRequest, AuthRequirement, AuthUser } from '../common/auth/auth-user';
import { unauthenticated } from '../common/errors/app-error';
import { routeMetadata } from '../common/guards/route-metadata';
import { requestContext } from '../common/request-context';
import { assertApiKeyMayCall } from './api-keys/api-key-scope.decorator';
import { accessTokenOf } from './jwt.strategy';

/**
 * Global guard (the first one), passport's `api-key` strategy (ApiKeyStrategy: a
 * request signed with an API key) then `jwt` (JwtStrategy): on routes marked
 * `@Authenticated()` it requires a valid, unrevoked access token or API key
 * signature and sets `req.user` and the request context's user id. An API key
 * is accepted only where the route names a scope the key has (`@ApiKeyScope`;
 * default deny: 403 otherwise). Other routes pass untouched, synchronously (no
 * promise for Nest to await).
 *
 * Every answer of an authenticated route is private to its user: it is
 * marked `Cache-Control: no-store` here, before the token is checked, so
 * successes and errors alike (401, 403, 404, 422 …) are never stored by a
 * browser, proxy or CDN.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirement = routeMetadata<AuthRequirement>(this.reflector, AUTH_REQUIREMENT, context);
    if (!requirement) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    return this.authenticate(context);
  }

  private async authenticate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    const ctx = requestContext.getStore();
    if (ctx) ctx.userId = user?.id;
    if (user?.apiKey) assertApiKeyMayCall(this.reflector, context, user);
    return true;
  }

  /**
   * passport's verdict → the caller, or the error in the one error shape: the strategy's own
   * AppErrors as they are (TOKEN_REVOKED, ACCOUNT_SUSPENDED, "Not an access token" …), else
   * 401 UNAUTHENTICATED for a missing token or one that fails verification (signature, expiry).
   */
  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false, _info: unknown, context: ExecutionContext): TUser {
    if (err) throw err;
    if (user) return user;
    if (!accessTokenOf(context.switchToHttp().getRequest<AuthenticatedRequest>())) {
      throw unauthenticated('UNAUTHENTICATED', 'Sign in first: send an access token as a Bearer header or the access_token cookie');
    }
    throw unauthenticated('UNAUTHENTICATED', 'The access token is invalid or expired');
  }
}
