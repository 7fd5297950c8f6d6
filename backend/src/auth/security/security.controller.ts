import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { AccountFreezeService } from './account-freeze.service';
import { FreezePreviewDto, FreezeResponseDto, FreezeTokenDto, SecurityActivityPageDto, SecurityActivityQueryDto } from './dto/security.dto';
import { SecurityNoticesService } from './security-notices.service';
import { LimitedByOutcomes } from '../../common/guards/outcome-budget.guard';

@ApiTags('auth')
@Controller('api/auth')
export class SecurityController {
  constructor(
    private readonly freezes: AccountFreezeService,
    private readonly notices: SecurityNoticesService,
  ) {}

  @Post('freeze/preview')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: `What a "This wasn't me" link is about, without using it`,
    description: 'Changes nothing (the freeze page calls it when it opens; the token travels in the body, never in a logged URL).',
  })
  @ApiOkResponse({ type: FreezePreviewDto })
  @ApiErrors(400, 429)
  previewFreeze(@Body() dto: FreezeTokenDto): Promise<FreezePreviewDto> {
    return this.freezes.preview(dto.token);
  }

  @Post('freeze')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: `"This wasn't me": freeze the account with the single-use link from a security notice`,
    description:
      'Every session ends; sign-in, withdrawals and security changes are refused (403 ACCOUNT_FROZEN) until the password is reset by email; ' +
      'second factors added since the reported event are removed. The link works once (400 FREEZE_LINK_INVALID afterwards).',
  })
  @ApiOkResponse({ type: FreezeResponseDto })
  @ApiErrors(400, 429)
  freezeAccount(@Body() dto: FreezeTokenDto): Promise<FreezeResponseDto> {
    return this.freezes.freeze(dto.token);
  }

  @Get('activity')
  @Authenticated()
  @ApiOperation({ summary: 'Account activity: sign-ins (device, approximate network) and security events, newest first' })
  @ApiOkResponse({ type: SecurityActivityPageDto })
  @ApiErrors(400, 403, 429)
  listSecurityActivity(@CurrentUser() user: AuthUser, @Query() query: SecurityActivityQueryDto): Promise<SecurityActivityPageDto> {
    return this.notices.activity(user.id, query);
  }
}
