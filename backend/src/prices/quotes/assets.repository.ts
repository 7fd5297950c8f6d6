import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** An enabled `assets` row, as the catalogue reads it. */
export interface AssetRow {
  symbol: string;
  coingeckoId: string;
  coincapId: string | null;
  binanceSymbol: string | null;
  name: string;
  decimals: number;
  rank: number;
  imageUrl: string | null;
}

/** The `assets` table (the catalogue; it changes only by migration). */
@Injectable()
export class AssetsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The enabled assets, by market-cap rank. */
  enabled(): Promise<AssetRow[]> {
    return this.dataSource.query<AssetRow[]>(
      `SELECT symbol, coingecko_id AS "coingeckoId", coincap_id AS "coincapId", binance_symbol AS "binanceSymbol",
              name, decimals, rank, image_url AS "imageUrl"
         FROM assets WHERE enabled ORDER BY rank`,
    );
  }

  /** The display name of every asset in the catalogue, enabled or not (a user may still hold a disabled one). */
  names(): Promise<{ symbol: string; name: string }[]> {
    return this.dataSource.query<{ symbol: string; name: string }[]>(`SELECT symbol, name FROM assets`);
  }
}
