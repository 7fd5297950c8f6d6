import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../../common/errors/app-error';
import { AuthController } from '../auth.controller';
import { TwoFactorController } from '../two-factor.controller';
import { RequiresStepUp, STEP_UP_REQUIRED } from './requires-step-up.decorator';
import { StepUpGuard } from './step-up.guard';
import type { StepUpService } from './step-up.service';

class Routes {
  @RequiresStepUp()
  marked(): void {}
  plain(): void {}
}

function context(handler: keyof Routes, user?: object): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('step-up', () => {
  it('marks every security change a stolen access token must not make', () => {
    const marked = (proto: object, name: string) => Reflect.getMetadata(STEP_UP_REQUIRED, (proto as Record<string, object>)[name]) === true;
    for (const name of ['setupTwoFactor', 'enableTwoFactor', 'disableTwoFactor', 'regenerateBackupCodes']) {
      expect({ name, marked: marked(TwoFactorController.prototype, name) }).toEqual({ name, marked: true });
    }
    for (const name of ['changePassword', 'changeEmail']) expect({ name, marked: marked(AuthController.prototype, name) }).toEqual({ name, marked: true });
    // Reading and signing out never need one (the owner must always be able to end a stolen session).
    for (const name of ['getMe', 'logout', 'logoutAll', 'confirmEmailChange']) {
      expect({ name, marked: marked(AuthController.prototype, name) }).toEqual({ name, marked: false });
    }
    expect(marked(TwoFactorController.prototype, 'getTwoFactorStatus')).toBe(false);
  });

  it('lets unmarked routes through at once, and refuses a marked route without a signed-in caller (fail closed)', () => {
    // No StepUpService: neither path may reach the database.
    const guard = new StepUpGuard(new Reflector(), undefined as unknown as StepUpService);
    expect(guard.canActivate(context('plain'))).toBe(true);
    const refused = guard.canActivate(context('marked')) as Promise<boolean>;
    return expect(refused).rejects.toEqual(expect.objectContaining<Partial<AppError>>({ status: 401, code: 'STEP_UP_REQUIRED' }));
  });
});
