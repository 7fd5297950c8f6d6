import { Module } from '@nestjs/common';
import { CostBasisWriter } from './cost-basis.writer';
import { PositionsRepository } from './positions.repository';

/** The cost basis as other trading domains (convert) record their exchanges in it; imports nothing but the database. */
@Module({
  providers: [PositionsRepository, CostBasisWriter],
  exports: [CostBasisWriter],
})
export class CostBasisWriterModule {}
