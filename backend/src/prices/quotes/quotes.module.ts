import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MARKET_QUOTES } from '../../common/market/market-quotes';
import { PRICE_FRESHNESS } from '../../health/price-freshness';
import { AssetEntity } from '../entities/asset.entity';
import { AssetCatalogueService } from './asset-catalogue.service';
import { AssetsRepository } from './assets.repository';
import { MarketEvents } from './market-events';
import { MarketQuotesService } from './market-quotes.service';

/**
 * The latest quotes and the MarketEvents stream: the floor of market data
 * that everything else stands on. Import it to inject MARKET_QUOTES,
 * PRICE_FRESHNESS, MarketEvents or the asset catalogue. It needs only
 * config, database and redis (global), so any module may import it without
 * a cycle (metrics does).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AssetEntity])],
  providers: [
    AssetsRepository,
    AssetCatalogueService,
    MarketEvents,
    MarketQuotesService,
    { provide: MARKET_QUOTES, useExisting: MarketQuotesService },
    { provide: PRICE_FRESHNESS, useExisting: MarketQuotesService },
  ],
  exports: [AssetCatalogueService, MarketEvents, MarketQuotesService, MARKET_QUOTES, PRICE_FRESHNESS],
})
export class QuotesModule {}
