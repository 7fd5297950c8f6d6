import type { Quote } from '../../../common/market/market-quotes';
import type { AppConfigValues, PriceSourceName } from '../../../config/app-config';
import { BinanceSource } from './binance.source';
import { CoinCapSource } from './coincap.source';
import { CoinGeckoClient } from './coingecko.client';
import { CoinGeckoSource } from './coingecko.source';
import type { PriceSource, SourceAsset } from './price-source';
import { SimulatedSource } from './simulated.source';

export function createCoinGeckoClient(config: AppConfigValues): CoinGeckoClient {
  return new CoinGeckoClient({
    baseUrl: config.coingeckoBaseUrl,
    apiKey: config.coingeckoApiKey,
    plan: config.coingeckoApiPlan,
    timeoutMs: Math.min(10_000, Math.max(1_000, config.coingeckoPollMs * 2)),
  });
}

export interface SourceDeps {
  coingecko: CoinGeckoClient;
  /** The latest quote this instance holds (sources that stream prices only derive the 24h change from it). */
  reference: (symbol: string) => Quote | undefined;
}

/** Builds the configured sources, in failover order. */
export function createSources(config: AppConfigValues, assets: SourceAsset[], deps: SourceDeps): PriceSource[] {
  return config.priceSources.map((name) => createSource(name, config, assets, deps));
}

function createSource(name: PriceSourceName, config: AppConfigValues, assets: SourceAsset[], deps: SourceDeps): PriceSource {
  switch (name) {
    case 'simulated':
      return new SimulatedSource(
        assets.map((a) => a.symbol),
        { tickMs: config.simulatedTickMs, seed: config.simulatedSeed, volatility: config.simulatedVolatility },
      );
    case 'coingecko':
      return new CoinGeckoSource(deps.coingecko, assets, config.coingeckoPollMs, config.priceSourceSilenceMs);
    case 'coincap':
      return new CoinCapSource(config.coincapWsUrl, assets, config.priceSourceSilenceMs, deps.reference);
    case 'binance':
      return new BinanceSource(config.binanceWsUrl, assets, config.priceSourceSilenceMs);
  }
}
