import type { AppConfigValues, PriceSourceName } from '../../config/app-config';
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

/** Builds the configured sources, in failover order. */
export function createSources(config: AppConfigValues, assets: SourceAsset[], coingecko: CoinGeckoClient): PriceSource[] {
  return config.priceSources.map((name) => createSource(name, config, assets, coingecko));
}

function createSource(name: PriceSourceName, config: AppConfigValues, assets: SourceAsset[], coingecko: CoinGeckoClient): PriceSource {
  switch (name) {
    case 'simulated':
      return new SimulatedSource(
        assets.map((a) => a.symbol),
        { tickMs: config.simulatedTickMs, seed: config.simulatedSeed, volatility: config.simulatedVolatility },
      );
    case 'coingecko':
      return new CoinGeckoSource(coingecko, assets, config.coingeckoPollMs, config.priceSourceSilenceMs);
    default:
      throw new Error(`price source ${name} is not available`);
  }
}
