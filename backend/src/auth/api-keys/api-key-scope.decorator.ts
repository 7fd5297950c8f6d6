import { applyDecorators, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { forbidden } from '../../common/errors/app-error';
import { routeMetadata } from '../../common/guards/route-metadata';
import type { ApiKeyScope } from './api-keys.repository';

/** Metadata key: the scope an API key needs for the route (absent: no API key at all). */
export const API_KEY_SCOPE = 'cv:api-key-scope';
/** The OpenAPI security scheme of signed API-key requests (openapi/document.ts). */
export const API_KEY_SECURITY_SCHEME = 'cvApiKey';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The route also accepts a request signed with an API key that has `scope` (besides the user's session): `read` for
 * GETs of the caller's own data, `trade` for orders, convert and alerts, `withdraw` for withdrawals. Routes without it
 * refuse every API key (403 API_KEY_NOT_ALLOWED): the whole of /api/auth (passwords, 2FA, sessions, step-up, the keys
 * themselves), the back office, the account's export and closure. `read` never opens a state-changing method, even
 * when set on a whole controller. Documents the security scheme and the scope (`x-api-key-scope`) in OpenAPI.
 */
export function ApiKeyScope(scope: ApiKeyScope): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(API_KEY_SCOPE, scope), ApiSecurity(API_KEY_SECURITY_SCHEME), ApiExtension('x-api-key-scope', scope));
}

/** JwtAuthGuard, for a caller authenticated by an API key: 403 unless the route takes keys with one of its scopes. */
export function assertApiKeyMayCall(reflector: Reflector, context: ExecutionContext, user: AuthUser): void {
  if (!user.apiKey) return;
  const scope = routeMetadata<ApiKeyScope>(reflector, API_KEY_SCOPE, context);
  const method = context.switchToHttp().getRequest<{ method: string }>().method;
  if (!scope || (scope === 'read' && !SAFE_METHODS.has(method))) {
    throw forbidden('API_KEY_NOT_ALLOWED', 'API keys cannot be used here: sign in to the app for this');
  }
  if (!user.apiKey.scopes.includes(scope)) {
    throw forbidden('API_KEY_SCOPE_MISSING', `This API key lacks the ${scope} scope: create a key with it under Settings → API keys`);
  }
}
