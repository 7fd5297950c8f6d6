import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../../common/dto/error-response.dto';

/** Metadata key read by the step-up guard. */
export const STEP_UP_REQUIRED = 'cv:step-up-required';

/**
 * The route changes something an attacker with a stolen access token must not change: it needs this session to have
 * passed a step-up confirmation (`POST /api/auth/step-up`: password plus the current second factor, or a passkey)
 * within the last few minutes, else 401 `STEP_UP_REQUIRED`.
 */
export function RequiresStepUp(): MethodDecorator {
  return applyDecorators(SetMetadata(STEP_UP_REQUIRED, true), ApiErrors(401));
}
