import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_REQUIREMENT, AuthenticatedRequest, AuthRequirement } from '../auth/auth-user';
import { forbidden } from '../errors/app-error';
import { routeMetadata } from './route-metadata';

/** Enforces `@Authenticated({ roles })` after the access token has been checked. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = routeMetadata<AuthRequirement>(this.reflector, AUTH_REQUIREMENT, context);
    if (!req?.roles?.length) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user || !req.roles.includes(user.role)) throw forbidden('FORBIDDEN', 'This requires the admin role');
    // Admins enrol in two-factor before they use the role (those made before it was required are not demoted: they enrol).
    if (user.role === 'admin' && !user.twoFactor) {
      throw forbidden('TWO_FACTOR_ENROLMENT_REQUIRED', 'Admins must turn on two-factor authentication (in Settings) before using the back office');
    }
    return true;
  }
}
