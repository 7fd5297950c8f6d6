import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '../../common/auth/auth-user';
import { routeMetadata } from '../../common/guards/route-metadata';
import { STEP_UP_REQUIRED } from './requires-step-up.decorator';
import { StepUpService, stepUpRequired } from './step-up.service';

/**
 * Global guard (after authentication, CSRF, rate limits and roles): a route marked `@RequiresStepUp()` runs only
 * for a caller whose own session is stepped up and unexpired (StepUpService), else 401 STEP_UP_REQUIRED. Another
 * session's step-up never counts. Read from PostgreSQL on each such request (they are few), never cached, so a
 * step-up, its expiry and the end of the session hold on every instance at once. Other routes pass synchronously.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly stepUps: StepUpService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!routeMetadata<boolean>(this.reflector, STEP_UP_REQUIRED, context)) return true;
    return this.check(context.switchToHttp().getRequest<AuthenticatedRequest>());
  }

  private async check(req: AuthenticatedRequest): Promise<boolean> {
    // A marked route without @Authenticated() is a mistake: fail closed.
    if (!req.user) throw stepUpRequired();
    if (!(await this.stepUps.steppedUpUntil(req.user))) throw stepUpRequired();
    return true;
  }
}
