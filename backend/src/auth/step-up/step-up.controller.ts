import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { StepUpDto } from '../dto/auth-requests.dto';
import { StepUpResponseDto } from '../dto/auth-responses.dto';
import { StepUpService } from './step-up.service';

@ApiTags('auth')
@Controller('api/auth')
export class StepUpController {
  constructor(private readonly stepUps: StepUpService) {}

  @Post('step-up')
  @HttpCode(200)
  @Authenticated()
  @Throttle({ stepUp: {} })
  @ApiOperation({
    summary: 'Confirm it is you (password, plus a current code or a backup code when 2FA is on) before a security change',
    description:
      'Steps this session up for STEP_UP_TTL_SECONDS (5 min): routes that answer 401 STEP_UP_REQUIRED then work from this session (no other). ' +
      'Wrong passwords and codes count on the confirmation counter: 429 ACCOUNT_LOCKED (with Retry-After) once this session or the account is locked out.',
  })
  @ApiOkResponse({ type: StepUpResponseDto })
  @ApiErrors(400, 401, 403, 429)
  stepUp(@CurrentUser() user: AuthUser, @Body() dto: StepUpDto): Promise<StepUpResponseDto> {
    return this.stepUps.stepUp(user, dto);
  }
}
