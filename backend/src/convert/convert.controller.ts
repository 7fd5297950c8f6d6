import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { ApiIdempotencyKey, IdempotencyKey } from '../common/decorators/idempotency-key.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import { ConvertService } from './convert.service';
import {
  ConversionListDto,
  ConversionResponseDto,
  ConvertHistoryQueryDto,
  ConvertQuoteResponseDto,
  CreateConvertQuoteDto,
  SettleConversionDto,
} from './dto/convert.dto';

@ApiTags('convert')
@Controller('api/convert')
@Authenticated()
@ApiKeyScope('read')
export class ConvertController {
  constructor(private readonly convert: ConvertService) {}

  @Post('quotes')
  @ApiKeyScope('trade')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Quote a conversion',
    description:
      'Prices swapping `from` for `to` (USD or any listed asset) at the live prices and locks it for CONVERT_QUOTE_TTL_MS (10 s); nothing moves until POST /api/convert. ' +
      '400 for the same asset twice or not exactly one of amount and receive; 422 UNKNOWN_ASSET, PRICE_STALE, MIN_NOTIONAL (under 1 USD), INSUFFICIENT_FUNDS.',
  })
  @ApiCreatedResponse({ type: ConvertQuoteResponseDto })
  @ApiErrors(400, 422, 429)
  createConvertQuote(@CurrentUser() user: AuthUser, @Body() dto: CreateConvertQuoteDto): Promise<ConvertQuoteResponseDto> {
    return this.convert.createQuote(user, dto);
  }

  @Post()
  @ApiKeyScope('trade')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Settle a quote',
    description:
      'Converts at the quote, once: settling it again (or in parallel) answers the same conversion. 404 for an unknown or another user’s quote, ' +
      '409 QUOTE_EXPIRED after `expiresAt`, 422 INSUFFICIENT_FUNDS (nothing moved) when the balance no longer pays it.',
  })
  @ApiIdempotencyKey('A replay returns the first response; the same key with another body is 409')
  @ApiCreatedResponse({ type: ConversionResponseDto })
  @ApiErrors(400, 404, 409, 422, 429)
  settleConversion(@CurrentUser() user: AuthUser, @Body() dto: SettleConversionDto, @IdempotencyKey() idempotencyKey?: string): Promise<ConversionResponseDto> {
    return this.convert.settle(user, dto, idempotencyKey);
  }

  @Get('history')
  @ApiOperation({ summary: 'Your conversions', description: 'Settled conversions, newest first' })
  @ApiOkResponse({ type: ConversionListDto })
  @ApiErrors(400)
  listConversions(@CurrentUser() user: AuthUser, @Query() query: ConvertHistoryQueryDto): Promise<ConversionListDto> {
    return this.convert.listConversions(user, query);
  }
}
