import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/dto/error-response.dto';
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

const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('market')
@Controller('api/crypto')
export class CryptoController {
  constructor(private readonly prices: PricesService) {}

  /** Every enabled asset with its latest quote. The body is serialised once per tick. */
  @Get()
  @Header('Content-Type', JSON_TYPE)
  @ApiOkResponse({ type: CryptoListDto })
  @ApiErrors(429)
  listCryptocurrencies(): string {
    return this.prices.listJson();
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

  /** Latest quote per symbol and the feed status. The body is serialised once per tick. */
  @Get()
  @Header('Content-Type', JSON_TYPE)
  @ApiOkResponse({ type: PricesResponseDto })
  @ApiErrors(429)
  listPrices(): string {
    return this.prices.pricesJson();
  }

  @Get(':symbol')
  @ApiParam({ name: 'symbol', example: 'BTC' })
  @ApiOkResponse({ type: SymbolQuoteDto })
  @ApiErrors(404, 429, 503)
  getPrice(@Param('symbol') symbol: string): SymbolQuoteDto {
    return this.prices.price(symbol);
  }
}
