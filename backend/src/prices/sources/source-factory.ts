import type { AppConfigValues, PriceSourceName } from '../../config/app-config';
import type { PriceSource, SourceAsset } from './price-source';
import { SimulatedSource } from './simulated.source';

/** Builds the configured sources, in failover order. */
export function createSources(config: AppConfigValues, assets: SourceAsset[]): PriceSource[] {
  return config.priceSources.map((name) => createSource(name, config, assets));
}

function createSource(name: PriceSourceName, config: AppConfigValues, assets: SourceAsset[]): PriceSource {
  switch (name) {
    case 'simulated':
      return new SimulatedSource(
        assets.map((a) => a.symbol),
        { tickMs: config.simulatedTickMs, seed: config.simulatedSeed, volatility: config.simulatedVolatility },
      );
    default:
      throw new Error(`price source ${name} is not available`);
  }
}
