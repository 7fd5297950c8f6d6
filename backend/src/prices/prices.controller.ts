import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../common/dto/error-response.dto';
import { sendCachedJson } from '../common/http/cached-json';
import {
  CandlesQueryDto,
  CandlesResponseDto,
  CryptoDetailResponseDto,
  CryptoListDto,
  HistoryQueryDto,
  HistoryResponseDto,
  PricesResponseDto,
  SymbolQuoteDto,
} from './dto/market.dto';
import { PricesService } from './prices.service';

@ApiTags('market')
@Controller('api/crypto')
export class CryptoController {
  constructor(private readonly prices: PricesService) {}

  /** Every enabled asset with its latest quote. The body (bytes and ETag) is serialised once per tick (and when the 24 h extremes of simulated assets are read again). */
  @Get()
  @ApiOkResponse({ type: CryptoListDto })
  @ApiErrors(429)
  listCryptocurrencies(@Res() res: Response): void | Promise<void> {
    const list = this.prices.listJson();
    if (!(list instanceof Promise)) return sendCachedJson(res, list);
    return list.then((json) => sendCachedJson(res, json));
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'CoinGecko id (bitcoin) or symbol (BTC)' })
  @ApiOkResponse({ type: CryptoDetailResponseDto })
  @ApiErrors(404, 429, 503)
  getCryptocurrency(@Param('id') id: string): Promise<CryptoDetailResponseDto> {
    return this.prices.detail(id);
  }

  @Get(':id/history')
  @ApiParam({ name: 'id', description: 'CoinGecko id or symbol' })
  @ApiOkResponse({ type: HistoryResponseDto })
  @ApiErrors(400, 404, 429)
  getCryptocurrencyHistory(@Param('id') id: string, @Query() query: HistoryQueryDto): Promise<HistoryResponseDto> {
    return this.prices.history(id, query.days ?? 7);
  }

  @Get(':id/candles')
  @ApiParam({ name: 'id', description: 'CoinGecko id or symbol' })
  @ApiOkResponse({ type: CandlesResponseDto })
  @ApiErrors(400, 404, 429)
  getCryptocurrencyCandles(@Param('id') id: string, @Query() query: CandlesQueryDto): Promise<CandlesResponseDto> {
    return this.prices.candleList(id, query.interval ?? '1h', query.from, query.to);
  }
}

@ApiTags('market')
@Controller('api/prices')
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  /** Latest quote per symbol and the feed status. The body (bytes and ETag) is serialised once per tick. */
  @Get()
  @ApiOkResponse({ type: PricesResponseDto })
  @ApiErrors(429)
  listPrices(@Res() res: Response): void {
    sendCachedJson(res, this.prices.pricesJson());
  }

  @Get(':symbol')
  @ApiParam({ name: 'symbol', example: 'BTC' })
  @ApiOkResponse({ type: SymbolQuoteDto })
  @ApiErrors(404, 429, 503)
  getPrice(@Param('symbol') symbol: string): SymbolQuoteDto {
    return this.prices.price(symbol);
  }
}
