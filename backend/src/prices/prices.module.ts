import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MARKET_QUOTES } from '../common/market/market-quotes';
import { PRICE_FRESHNESS } from '../health/price-freshness';
import { AssetCatalogueService } from './asset-catalogue.service';
import { AssetEntity } from './entities/asset.entity';
import { PriceCandleEntity } from './entities/price-candle.entity';
import { MarketQuotesService } from './market-quotes.service';
import { PriceIngestionService } from './price-ingestion.service';
import { CandlesService } from './candles.service';
import { CryptoController, PricesController } from './prices.controller';
import { PricesService } from './prices.service';
import { PricesGateway } from './prices.gateway';
import { CoinGeckoClient } from './sources/coingecko.client';
import { createCoinGeckoClient } from './sources/source-factory';
import { AppConfig } from '../config/config.service';

/** Market data (ARCHITECTURE §4). Global: every module may inject MARKET_QUOTES. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AssetEntity, PriceCandleEntity]), MetricsModule],
  controllers: [CryptoController, PricesController],
  providers: [
    AssetCatalogueService,
    MarketQuotesService,
    PriceIngestionService,
    CandlesService,
    PricesService,
    PricesGateway,
    // One client per process: a 429 on any CoinGecko call holds back every call.
    { provide: CoinGeckoClient, inject: [AppConfig], useFactory: (config: AppConfig) => createCoinGeckoClient(config.values) },
    { provide: MARKET_QUOTES, useExisting: MarketQuotesService },
    { provide: PRICE_FRESHNESS, useExisting: MarketQuotesService },
  ],
  exports: [MARKET_QUOTES, PRICE_FRESHNESS],
})
export class PricesModule {}
