import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { UuidPipe } from '../../common/pipes/id.pipes';
import { MessageResponseDto } from '../dto/auth-responses.dto';
import { RequiresStepUp } from '../step-up/requires-step-up.decorator';
import {
  PasskeyCreationOptionsResponseDto,
  PasskeyListResponseDto,
  PasskeyRequestOptionsResponseDto,
  PasskeyResponseDto,
  RegisterPasskeyDto,
  RenamePasskeyDto,
} from './dto/passkey.dto';
import { PasskeysService } from './passkeys.service';

/** The account's passkeys. Signing in with one is `POST /api/auth/passkeys/login` (AuthController, beside the password login). */
@ApiTags('auth')
@Controller('api/auth/passkeys')
@Authenticated()
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Get()
  @ApiOperation({ summary: "The account's passkeys: name, when added, when last used" })
  @ApiOkResponse({ type: PasskeyListResponseDto })
  @ApiErrors(403, 429)
  listPasskeys(@CurrentUser() user: AuthUser): Promise<PasskeyListResponseDto> {
    return this.passkeys.list(user.id);
  }

  @Post('registration-options')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start adding a passkey: options for navigator.credentials.create (discoverable, user verification preferred)',
    description: 'The challenge is single use, bound to this session, valid PASSKEY_CHALLENGE_TTL_MS. 422 LIMIT_EXCEEDED at 10 passkeys.',
  })
  @ApiOkResponse({ type: PasskeyCreationOptionsResponseDto })
  @ApiErrors(403, 422, 429)
  getPasskeyRegistrationOptions(@CurrentUser() user: AuthUser): Promise<PasskeyCreationOptionsResponseDto> {
    return this.passkeys.registrationOptions(user);
  }

  @Post()
  @RequiresStepUp()
  @ApiOperation({
    summary: "Add a passkey: the authenticator's answer to this session's registration challenge, and a name",
    description: '422 PASSKEY_REJECTED when it does not verify (challenge, origin, RP ID); 409 ALREADY_EXISTS for a passkey already registered.',
  })
  @ApiCreatedResponse({ type: PasskeyResponseDto })
  @ApiErrors(400, 403, 409, 422, 429)
  registerPasskey(@CurrentUser() user: AuthUser, @Body() dto: RegisterPasskeyDto): Promise<PasskeyResponseDto> {
    return this.passkeys.register(user, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a passkey' })
  @ApiOkResponse({ type: PasskeyResponseDto })
  @ApiErrors(400, 403, 404, 429)
  renamePasskey(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: RenamePasskeyDto): Promise<PasskeyResponseDto> {
    return this.passkeys.rename(user, id, dto.name);
  }

  @Delete(':id')
  @RequiresStepUp()
  @ApiOperation({ summary: 'Remove a passkey: it no longer signs in or confirms anything' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 404, 429)
  async deletePasskey(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<MessageResponseDto> {
    await this.passkeys.remove(user, id);
    return { message: 'Passkey removed' };
  }

  @Post('confirmation-options')
  @HttpCode(200)
  @ApiOperation({
    summary: "Options to confirm an action of this session (a withdrawal, a step-up) with one of the account's passkeys",
    description: 'Send the answer as `passkey` where a two-factor code is asked. Single use, bound to this session. 409 INVALID_STATE without a passkey.',
  })
  @ApiOkResponse({ type: PasskeyRequestOptionsResponseDto })
  @ApiErrors(403, 409, 429)
  getPasskeyConfirmationOptions(@CurrentUser() user: AuthUser): Promise<PasskeyRequestOptionsResponseDto> {
    return this.passkeys.confirmationOptions(user);
  }
}
