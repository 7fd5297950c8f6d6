import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { validationFailed } from '../common/errors/app-error';

/** How many assets one watchlist holds at most. */
export const MAX_WATCHLIST_ITEMS = 50;

/** The most letters and digits of a ticker (as IsTicker). */
const MAX_TICKER_LENGTH = 16;
const TICKER = new RegExp(`^[A-Za-z0-9]{1,${MAX_TICKER_LENGTH}}$`);

/** The `:symbol` of a path as a ticker, upper-cased (`btc` → `BTC`); null when it is not one. */
export function tickerOf(raw: unknown): string | null {
  return typeof raw === 'string' && TICKER.test(raw) ? raw.toUpperCase() : null;
}

/** `@Param('symbol', TickerParamPipe)`: a ticker of 1 to 16 letters and digits, upper-cased, else 400 before the handler runs. */
@Injectable()
export class TickerParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const ticker = tickerOf(value);
    if (ticker === null)
      throw validationFailed([{ field: metadata.data ?? 'symbol', message: `Enter a ticker like BTC (up to ${MAX_TICKER_LENGTH} letters and digits)` }]);
    return ticker;
  }
}
