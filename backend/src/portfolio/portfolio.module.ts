import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerReaderModule } from '../ledger/reader/ledger-reader.module';
import { PositionsReaderModule } from '../orders/positions-reader.module';
import { CandlesReaderModule } from '../prices/candles/candles-reader.module';
import { TrackedHoldingEntity } from './entities/tracked-holding.entity';
import { PortfolioController } from './portfolio.controller';
import { PortfolioRepository } from './portfolio.repository';
import { PortfolioService } from './portfolio.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/** Holdings valued at live quotes: balances from the ledger, cost basis from orders, history from candles. */
@Module({
  imports: [TypeOrmModule.forFeature([TrackedHoldingEntity]), LedgerReaderModule, PositionsReaderModule, CandlesReaderModule, QuotesModule],
  controllers: [PortfolioController],
  providers: [PortfolioService, PortfolioRepository],
})
export class PortfolioModule {}
