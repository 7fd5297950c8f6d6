import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssetsRepository, type AssetRow } from './assets.repository';

/** An enabled asset of the catalogue, as its repository reads it. */
export type CatalogueAsset = AssetRow;

/** The enabled assets, loaded once at boot (the catalogue changes only by migration). */
@Injectable()
export class AssetCatalogueService implements OnModuleInit {
  private bySymbol = new Map<string, CatalogueAsset>();
  private byCoingeckoId = new Map<string, CatalogueAsset>();
  private ordered: CatalogueAsset[] = [];
  private names = new Map<string, string>();

  constructor(private readonly assets: AssetsRepository) {}

  async onModuleInit(): Promise<void> {
    const [rows, names] = await Promise.all([this.assets.enabled(), this.assets.names()]);
    this.names = new Map(names.map((n) => [n.symbol, n.name]));
    this.ordered = rows;
    this.bySymbol = new Map(this.ordered.map((a) => [a.symbol, a]));
    this.byCoingeckoId = new Map(this.ordered.map((a) => [a.coingeckoId, a]));
  }

  /** Enabled assets by market-cap rank. */
  list(): CatalogueAsset[] {
    return this.ordered;
  }

  symbols(): string[] {
    return this.ordered.map((a) => a.symbol);
  }

  bySymbolOrUndefined(symbol: string): CatalogueAsset | undefined {
    return this.bySymbol.get(symbol.toUpperCase());
  }

  /** The display name of any catalogued asset (enabled or not), or undefined for a symbol never catalogued. */
  nameOf(symbol: string): string | undefined {
    return this.names.get(symbol.toUpperCase());
  }

  /** `:id` of `/api/crypto/:id`: the CoinGecko id or the symbol, case-insensitive. */
  find(idOrSymbol: string): CatalogueAsset | undefined {
    const key = idOrSymbol.trim();
    return this.byCoingeckoId.get(key.toLowerCase()) ?? this.bySymbol.get(key.toUpperCase());
  }
}
