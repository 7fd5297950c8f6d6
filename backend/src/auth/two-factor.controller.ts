import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { TwoFactorCodeDto } from './dto/auth-requests.dto';
import { BackupCodesResponseDto, MessageResponseDto, TwoFactorSetupResponseDto, TwoFactorStatusDto } from './dto/auth-responses.dto';
import { RequiresStepUp } from './step-up/requires-step-up.decorator';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@Controller('api/auth/2fa')
@Authenticated()
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start 2FA enrolment: secret, otpauth URL and QR code (the secret is shown only now)',
    description: 'Needs a step-up of this session (with 2FA off: the password alone), else 401 STEP_UP_REQUIRED.',
  })
  @ApiOkResponse({ type: TwoFactorSetupResponseDto })
  @ApiErrors(403, 409, 429)
  setupTwoFactor(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupResponseDto> {
    return this.twoFactor.setup(user.id);
  }

  @Post('verify')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Confirm enrolment with a first code of the new authenticator; returns 10 backup codes, shown once',
    description: 'Needs a step-up of this session, else 401 STEP_UP_REQUIRED.',
  })
  @ApiOkResponse({ type: BackupCodesResponseDto })
  @ApiErrors(400, 403, 409, 429)
  enableTwoFactor(@CurrentUser() user: AuthUser, @Body() dto: TwoFactorCodeDto): Promise<BackupCodesResponseDto> {
    return this.twoFactor.enable(user.id, dto.code);
  }

  @Get('status')
  @ApiOkResponse({ type: TwoFactorStatusDto })
  @ApiErrors(403, 429)
  getTwoFactorStatus(@CurrentUser() user: AuthUser): Promise<TwoFactorStatusDto> {
    return this.twoFactor.status(user.id);
  }

  @Post('disable')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Turn 2FA off',
    description: 'Needs a step-up of this session (password and a current code or backup code), else 401 STEP_UP_REQUIRED.',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(403, 429)
  disableTwoFactor(@CurrentUser() user: AuthUser): Promise<MessageResponseDto> {
    return this.twoFactor.disable(user);
  }

  @Post('backup-codes')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Replace the backup codes; the old ones stop working',
    description: 'Needs a step-up of this session, else 401 STEP_UP_REQUIRED.',
  })
  @ApiOkResponse({ type: BackupCodesResponseDto })
  @ApiErrors(403, 429)
  regenerateBackupCodes(@CurrentUser() user: AuthUser): Promise<BackupCodesResponseDto> {
    return this.twoFactor.regenerateBackupCodes(user);
  }
}
