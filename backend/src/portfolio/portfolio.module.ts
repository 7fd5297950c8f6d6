import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TrackedHoldingEntity } from './entities/tracked-holding.entity';
import { PortfolioController } from './portfolio.controller';
import { PortfolioService } from './portfolio.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

@Module({
  imports: [TypeOrmModule.forFeature([TrackedHoldingEntity]), QuotesModule],
  controllers: [PortfolioController],
  providers: [PortfolioService],
})
export class PortfolioModule {}
