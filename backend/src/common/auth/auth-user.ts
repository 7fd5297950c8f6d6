import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors } from '../dto/error-response.dto';

export type Role = 'user' | 'admin';

/** Who is calling, as proven by a valid, unrevoked access token. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  /** Whether the account has two-factor authentication on (the back office needs it of admins). */
  twoFactor: boolean;
  /** The access token's id (revoked at logout). */
  jti: string;
  /** The refresh-token family (session) this access token was issued for. */
  sessionId: string;
  /** Access token expiry, epoch seconds. */
  exp: number;
  /** Set when the request was signed with an API key (auth/api-keys) instead of a session's access token. */
  apiKey?: { id: string; scopes: ('read' | 'trade' | 'withdraw')[] };
}

export interface AuthRequirement {
  roles?: Role[];
}

export const AUTH_REQUIREMENT = 'cv:auth-requirement';

export type AuthenticatedRequest = Request & { user?: AuthUser; id?: string };

/**
 * The one decorator for protected routes: requires a valid access token
 * (Bearer header or `access_token` cookie), optionally a role, and documents
 * the security scheme and the 401/403 answers in OpenAPI.
 */
export function Authenticated(requirement: AuthRequirement = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, requirement),
    ApiBearerAuth(),
    ApiCookieAuth('access_token'),
    ApiErrors(...(requirement.roles ? [401, 403] : [401])),
  );
}

/** The authenticated caller (only on routes marked `@Authenticated`). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return req.user as AuthUser;
});
