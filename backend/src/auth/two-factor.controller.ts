import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { DisableTwoFactorDto, TwoFactorCodeDto } from './dto/auth-requests.dto';
import { BackupCodesResponseDto, MessageResponseDto, TwoFactorSetupResponseDto, TwoFactorStatusDto } from './dto/auth-responses.dto';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@Controller('api/auth/2fa')
@Authenticated()
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start 2FA enrolment: secret, otpauth URL and QR code (the secret is shown only now)' })
  @ApiOkResponse({ type: TwoFactorSetupResponseDto })
  @ApiErrors(403, 409, 429)
  setupTwoFactor(@CurrentUser() user: AuthUser): Promise<TwoFactorSetupResponseDto> {
    return this.twoFactor.setup(user.id);
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm enrolment with a first code; returns 10 backup codes, shown once' })
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
  @ApiOperation({
    summary: 'Turn 2FA off with the password and a current code (or a backup code)',
    description:
      'Wrong passwords and codes count on the confirmation counter: 429 ACCOUNT_LOCKED (with Retry-After) once this session or the account is locked out.',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 429)
  disableTwoFactor(@CurrentUser() user: AuthUser, @Body() dto: DisableTwoFactorDto): Promise<MessageResponseDto> {
    return this.twoFactor.disable(user, dto);
  }

  @Post('backup-codes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the backup codes (needs a current code); the old ones stop working',
    description: 'Wrong codes count on the confirmation counter: 429 ACCOUNT_LOCKED (with Retry-After) once this session or the account is locked out.',
  })
  @ApiOkResponse({ type: BackupCodesResponseDto })
  @ApiErrors(400, 403, 429)
  regenerateBackupCodes(@CurrentUser() user: AuthUser, @Body() dto: TwoFactorCodeDto): Promise<BackupCodesResponseDto> {
    return this.twoFactor.regenerateBackupCodes(user, dto.code);
  }
}
