import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.service';
import { MetricsModule } from '../metrics/metrics.module';
import { CandlesRepository } from './candles/candles.repository';
import { CandlesService } from './candles/candles.service';
import { PriceCandleEntity } from './entities/price-candle.entity';
import { PriceIngestionService } from './ingestion/price-ingestion.service';
import { CoinGeckoClient } from './ingestion/sources/coingecko.client';
import { createCoinGeckoClient } from './ingestion/sources/source-factory';
import { CryptoController, PricesController } from './prices.controller';
import { PricesService } from './prices.service';
import { QuotesModule } from './quotes/quotes.module';
import { PricesGateway } from './stream/prices.gateway';

/**
 * Market data (ARCHITECTURE §4), one pipeline:
 * ingestion/ (sources, breakers, leader lease) → quotes/ (latest quotes,
 * MarketEvents; QuotesModule) → candles/ (history) and stream/ (`/ws/prices`),
 * plus the `/api/crypto` and `/api/prices` routes. Re-exports QuotesModule.
 */
@Module({
  imports: [QuotesModule, MetricsModule, TypeOrmModule.forFeature([PriceCandleEntity])],
  controllers: [CryptoController, PricesController],
  providers: [
    PriceIngestionService,
    CandlesRepository,
    CandlesService,
    PricesService,
    PricesGateway,
    // One client per process: a 429 on any CoinGecko call holds back every call.
    { provide: CoinGeckoClient, inject: [AppConfig], useFactory: (config: AppConfig) => createCoinGeckoClient(config.values) },
  ],
  exports: [QuotesModule],
})
export class PricesModule {}
