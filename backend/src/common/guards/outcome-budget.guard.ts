import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FailureLimiter, type OutcomeBudget } from './failure-limiter';

const OUTCOME_BUDGETS = 'cv:outcome-budgets';

/**
 * Refuses the route (429 RATE_LIMITED with Retry-After) to a client address
 * that has used up one of these outcome budgets (FAILURE_LIMITS), before any
 * work is done. The route's service counts the outcomes
 * (`FailureLimiter.countForClient`) once it knows them: a failed credential, an
 * accepted signup.
 */
export function LimitedByOutcomes(...budgets: OutcomeBudget[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(OUTCOME_BUDGETS, budgets), UseGuards(OutcomeBudgetGuard));
}

@Injectable()
export class OutcomeBudgetGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: FailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const budgets = this.reflector.getAllAndOverride<OutcomeBudget[] | undefined>(OUTCOME_BUDGETS, [context.getHandler(), context.getClass()]) ?? [];
    for (const budget of budgets) await this.limiter.refuseClientIfOver(budget);
    return true;
  }
}
