import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CostBasisWriterModule } from '../orders/cost-basis-writer.module';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { ConvertController } from './convert.controller';
import { ConvertRepository } from './convert.repository';
import { ConvertService } from './convert.service';
import { ConvertQuoteEntity } from './entities/convert-quote.entity';

/** Convert: quotes (`convert_quotes`) and their settlement as one ledger journal each. Floor 3, beside orders. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConvertQuoteEntity]),
    LedgerModule,
    IdempotencyModule,
    QuotesModule,
    CostBasisWriterModule,
    AuditModule,
    NotificationsModule,
  ],
  controllers: [ConvertController],
  providers: [ConvertService, ConvertRepository],
})
export class ConvertModule {}
