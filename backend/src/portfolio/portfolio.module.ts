import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerReaderModule } from '../ledger/reader/ledger-reader.module';
import { PositionsReaderModule } from '../orders/positions-reader.module';
import { CandlesReaderModule } from '../prices/candles/candles-reader.module';
import { TrackedHoldingLotEntity } from './entities/tracked-holding-lot.entity';
import { TrackedHoldingEntity } from './entities/tracked-holding.entity';
import { PerformanceService } from './performance/performance.service';
import { PortfolioController } from './portfolio.controller';
import { PortfolioRepository } from './portfolio.repository';
import { PortfolioService } from './portfolio.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/**
 * Holdings valued at live quotes: balances from the ledger, cost basis from orders, history from candles; performance
 * net of cash flows from the ledger's movements, tracked lots and candles.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([TrackedHoldingEntity, TrackedHoldingLotEntity]),
    LedgerReaderModule,
    PositionsReaderModule,
    CandlesReaderModule,
    QuotesModule,
  ],
  controllers: [PortfolioController],
  providers: [PortfolioService, PerformanceService, PortfolioRepository],
})
export class PortfolioModule {}
