import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The queries other domains may make of `price_candles` (owned by prices): reached only through {@link CandlesReader}. */
@Injectable()
export class CandlesReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For each (symbol, point): the close of the latest candle at or before the point, or null. */
  async closesAt(symbols: readonly string[], points: readonly Date[]): Promise<{ symbol: string; t: Date; close: string | null }[]> {
    if (symbols.length === 0 || points.length === 0) return [];
    return this.dataSource.query(
      `SELECT s.symbol, p.t, c.close
       FROM unnest($1::text[]) AS s(symbol)
       CROSS JOIN unnest($2::timestamptz[]) AS p(t)
       LEFT JOIN LATERAL (
         SELECT pc.close::text AS close FROM price_candles pc
         WHERE pc.symbol = s.symbol AND pc.bucket <= p.t ORDER BY pc.bucket DESC LIMIT 1
       ) c ON true`,
      [[...new Set(symbols)], points.map((p) => p.toISOString())],
    );
  }
}
