import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { UuidPipe } from '../../common/pipes/id.pipes';
import { RequiresStepUp } from '../step-up/requires-step-up.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyListResponseDto, ApiKeyResponseDto, CreateApiKeyDto } from './dto/api-key.dto';

/**
 * The account's API keys, managed from a signed-in session only: like every /api/auth route these take no API key
 * (no @ApiKeyScope: 403 API_KEY_NOT_ALLOWED), so a key can neither make nor revoke keys.
 */
@ApiTags('auth')
@Controller('api/auth/api-keys')
@Authenticated()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The account's API keys (never a private key: we never have it), newest first, with their scopes, allowlist, expiry and last use" })
  @ApiOkResponse({ type: ApiKeyListResponseDto })
  @ApiErrors(403, 429)
  listApiKeys(@CurrentUser() user: AuthUser): Promise<ApiKeyListResponseDto> {
    return this.apiKeys.list(user.id);
  }

  @Post()
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Create an API key from its Ed25519 public key, with scopes and optionally an IP allowlist and an expiry',
    description:
      'Needs a fresh step-up of this session. The key id in the answer is what requests send as CV-API-KEY; the private key stays with you. ' +
      '`withdraw` needs an IP allowlist, two-factor on and a fresh `twoFactorCode` or `passkey` in this request (the step-up alone is not enough; ' +
      '401 TWO_FACTOR_INVALID for a wrong or used one), and is told to the owner by email and notification. ' +
      '422 PUBLIC_KEY_PUBLISHED for a public key whose private key is published (the documentation’s example, RFC 8032’s test keys). ' +
      '422 LIMIT_EXCEEDED beyond 10 active keys. Audited.',
  })
  @ApiCreatedResponse({ type: ApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 422, 429)
  createApiKey(@CurrentUser() user: AuthUser, @Body() dto: CreateApiKeyDto): Promise<ApiKeyResponseDto> {
    return this.apiKeys.create(user, dto);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key: its next request, on any instance, is refused (401 API_KEY_REVOKED). Audited' })
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiErrors(400, 403, 404, 429)
  revokeApiKey(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<ApiKeyResponseDto> {
    return this.apiKeys.revoke(user, id);
  }
}
