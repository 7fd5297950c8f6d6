import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { ApiIdempotencyKey, IdempotencyKey } from '../../common/decorators/idempotency-key.decorator';
import { ApiErrors } from '../../common/dto/error-response.dto';
import { WithdrawalResponseDto } from '../withdrawals/dto/withdrawal.dto';
import { CashOutsService } from './cash-outs.service';
import { CashOutQuoteResponseDto, CreateCashOutDto, CreateCashOutQuoteDto } from './dto/cash-out.dto';

@ApiTags('wallet')
@Controller('api/wallet')
@Authenticated()
export class CashOutsController {
  constructor(private readonly cashOuts: CashOutsService) {}

  @Post('cash-out/quotes')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Quote a USD cash-out',
    description:
      'We have no bank transfers: a cash-out sends dollars as USDT or USDC to a saved address. This prices `usdAmount` dollars as the stablecoin at ' +
      'its live price (the trading fee, no spread) less its network fee, and locks it for CONVERT_QUOTE_TTL_MS (10 s); nothing moves until ' +
      'POST /api/wallet/cash-outs. 400 for a network the stablecoin does not leave on; 422 PRICE_STALE, BELOW_MINIMUM (naming the smallest amount), ' +
      'INSUFFICIENT_FUNDS, LIMIT_EXCEEDED.',
  })
  @ApiCreatedResponse({ type: CashOutQuoteResponseDto })
  @ApiErrors(400, 422, 429)
  createCashOutQuote(@CurrentUser() user: AuthUser, @Body() dto: CreateCashOutQuoteDto): Promise<CashOutQuoteResponseDto> {
    return this.cashOuts.createQuote(user, dto);
  }

  @Post('cash-outs')
  @HttpCode(201)
  @ApiIdempotencyKey('A replay returns the first result; the same key with another body is 409')
  @ApiOperation({
    summary: 'Cash out USD at a quote, confirmed with a two-factor code or a passkey',
    description:
      'Creates one withdrawal of the quoted stablecoin to a saved address on the quote’s network; the dollars are debited and the stablecoin held in ' +
      'one journal. Once per quote: using it again answers the same withdrawal (409 INVALID_STATE for another address). 404 for an unknown or another ' +
      'user’s quote, 409 QUOTE_EXPIRED, 422 INSUFFICIENT_FUNDS (nothing moved), ADDRESS_NETWORK_MISMATCH, and whatever POST /api/wallet/withdraw ' +
      'answers (two-factor, security hold, address book, daily limit). Cancelled or rejected, the dollars come back whole.',
  })
  @ApiCreatedResponse({ type: WithdrawalResponseDto })
  @ApiErrors(400, 403, 404, 409, 422, 429)
  createCashOut(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateCashOutDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<WithdrawalResponseDto> {
    return this.cashOuts.create(user, dto, idempotencyKey);
  }
}
