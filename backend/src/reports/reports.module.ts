import { Module } from '@nestjs/common';
import { LotsModule } from '../portfolio/lots/lots.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Reports over a user's history (floor 4, beside portfolio): realised gains per tax year from the cost-basis lots. */
@Module({
  imports: [LotsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
