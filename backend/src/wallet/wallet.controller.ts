import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { LedgerAdjustmentDto, LedgerAdjustmentResponseDto, WalletResponseDto } from './dto/wallet.dto';
import { WalletService } from './wallet.service';

@ApiTags('wallet')
@Controller('api/wallet')
@Authenticated()
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get('balance')
  @ApiOkResponse({ type: WalletResponseDto })
  getWalletBalance(@CurrentUser() user: AuthUser): Promise<WalletResponseDto> {
    return this.wallet.getBalance(user);
  }
}

@ApiTags('admin')
@Controller('api/admin/ledger')
@Authenticated({ roles: ['admin'] })
export class LedgerAdjustmentsController {
  constructor(private readonly wallet: WalletService) {}

  @Post('adjustments')
  @HttpCode(201)
  @ApiCreatedResponse({ type: LedgerAdjustmentResponseDto })
  @ApiErrors(400, 404, 422)
  createLedgerAdjustment(@CurrentUser() admin: AuthUser, @Body() dto: LedgerAdjustmentDto): Promise<LedgerAdjustmentResponseDto> {
    return this.wallet.adjustLedger(admin, dto);
  }
}
