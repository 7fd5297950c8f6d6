import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../common/dto/error-response.dto';
import { sendCachedJson } from '../common/http/cached-json';
import { FxRatesDto } from './dto/fx-rates.dto';
import { FxRatesService } from './fx-rates.service';

@ApiTags('market')
@Controller('api/fx')
export class FxController {
  constructor(private readonly rates: FxRatesService) {}

  /** Public, like the other market data. The body (bytes and ETag) is serialised once per stored day, not per request. */
  @Get('rates')
  @ApiOperation({
    summary: 'Display-currency reference rates: EUR and GBP per 1 USD, from the ECB',
    description:
      'Units of each display currency per 1 USD, derived from the European Central Bank euro foreign exchange reference rates ' +
      '(EUR = 1 / USD rate, GBP = GBP rate / USD rate, 10 significant digits), with the ECB publication day they belong to. ' +
      'For showing values only: balances, orders and the ledger stay in their own assets. The ECB publishes once per TARGET ' +
      'working day around 16:00 CET; the server refreshes every few hours and keeps the last good rates when a fetch fails. ' +
      'Before any rates were ever fetched the answer is still 200, with `date: null` and `rates: {"USD": "1"}`: offer USD only. ' +
      '`source: "sample"` marks a bundled past day (development, offline), not current rates. Supports ETag / If-None-Match.',
  })
  @ApiOkResponse({ type: FxRatesDto })
  @ApiErrors(429, 503)
  async getFxRates(@Res() res: Response): Promise<void> {
    sendCachedJson(res, await this.rates.ratesJson());
  }
}
