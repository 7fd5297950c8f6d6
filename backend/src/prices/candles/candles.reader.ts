import { Injectable } from '@nestjs/common';
import { CandlesRepository } from './candles.repository';

/** What another domain may know of recorded price history: the close at a point in time. */
@Injectable()
export class CandlesReader {
  constructor(private readonly repo: CandlesRepository) {}

  /**
   * The close of the latest recorded candle at or before each point, per
   * symbol: `closes.get(symbol)?.get(point.getTime())` (absent: none recorded).
   */
  async closesAt(symbols: readonly string[], points: readonly Date[]): Promise<Map<string, Map<number, string>>> {
    const out = new Map<string, Map<number, string>>();
    for (const r of await this.repo.closesAt(symbols, points)) {
      if (r.close === null) continue;
      let bySymbol = out.get(r.symbol);
      if (!bySymbol) out.set(r.symbol, (bySymbol = new Map()));
      bySymbol.set(new Date(r.t).getTime(), r.close);
    }
    return out;
  }
}
