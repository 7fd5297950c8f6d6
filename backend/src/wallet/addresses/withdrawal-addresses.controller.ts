import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { RequiresStepUp } from '../../auth/step-up/requires-step-up.decorator';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { UuidPipe } from '../../common/pipes/id.pipes';
import {
  AddressBookDto,
  AddressBookLockResponseDto,
  ConfirmWithdrawalAddressDto,
  CreateWithdrawalAddressDto,
  WithdrawalAddressResponseDto,
} from './dto/withdrawal-address.dto';
import { WithdrawalAddressesService } from './withdrawal-addresses.service';
import { LimitedByOutcomes } from '../../common/guards/outcome-budget.guard';

/** The withdrawal address book: `/api/wallet/addresses` (API.md). */
@ApiTags('wallet')
@Controller('api/wallet/addresses')
export class WithdrawalAddressesController {
  constructor(private readonly addresses: WithdrawalAddressesService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Saved withdrawal addresses (not removed), the allowlist lock and the hold' })
  @ApiOkResponse({ type: AddressBookDto })
  listWithdrawalAddresses(@CurrentUser() user: AuthUser): Promise<AddressBookDto> {
    return this.addresses.list(user.id);
  }

  @Post()
  @HttpCode(201)
  @Authenticated()
  @RequiresStepUp()
  @Throttle({ emailAction: {} })
  @ApiOperation({
    summary: 'Save a withdrawal address; usable once confirmed by the emailed link and after ADDRESS_HOLD_HOURS',
    description:
      'Needs a fresh step-up. The address is checked as withdrawals check it. 403 ADDRESS_BOOK_LOCKED while the allowlist lock is on; ' +
      '409 ALREADY_EXISTS for an address already saved; 422 LIMIT_EXCEEDED beyond 20 addresses.',
  })
  @ApiCreatedResponse({ type: WithdrawalAddressResponseDto })
  @ApiErrors(400, 401, 403, 409, 422, 429)
  addWithdrawalAddress(@CurrentUser() user: AuthUser, @Body() dto: CreateWithdrawalAddressDto): Promise<WithdrawalAddressResponseDto> {
    return this.addresses.add(user, dto);
  }

  @Post('confirm')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: 'Confirm a new address with the token of the emailed link (single use; opening the link itself changes nothing)',
    description: 'No sign-in needed: the token is the proof that the mailbox owner agrees. The address is usable from `usableFrom`.',
  })
  @ApiOkResponse({ type: WithdrawalAddressResponseDto })
  @ApiErrors(400, 429)
  confirmWithdrawalAddress(@Body() dto: ConfirmWithdrawalAddressDto): Promise<WithdrawalAddressResponseDto> {
    return this.addresses.confirm(dto);
  }

  @Post('lock')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Turn the allowlist lock on, at once: no address can be added while it is on' })
  @ApiOkResponse({ type: AddressBookLockResponseDto })
  lockAddressBook(@CurrentUser() user: AuthUser): Promise<AddressBookLockResponseDto> {
    return this.addresses.lock(user.id);
  }

  @Delete('lock')
  @Authenticated()
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Turn the allowlist lock off: needs a step-up and takes effect after ADDRESS_HOLD_HOURS (`disablesAt`)',
    description: '409 INVALID_STATE when the lock is not on.',
  })
  @ApiOkResponse({ type: AddressBookLockResponseDto })
  @ApiErrors(401, 409)
  unlockAddressBook(@CurrentUser() user: AuthUser): Promise<AddressBookLockResponseDto> {
    return this.addresses.unlock(user.id);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Remove a saved address, at once; it can no longer receive withdrawals' })
  @ApiOkResponse({ type: WithdrawalAddressResponseDto })
  @ApiErrors(400, 404)
  removeWithdrawalAddress(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<WithdrawalAddressResponseDto> {
    return this.addresses.remove(user.id, id);
  }
}
