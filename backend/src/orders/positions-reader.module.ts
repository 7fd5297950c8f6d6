import { Module } from '@nestjs/common';
import { PositionsRepository } from './positions.repository';
import { PositionsReader } from './positions.reader';

/** The positions (cost basis) as other domains may read them; imports nothing but the database. */
@Module({
  providers: [PositionsRepository, PositionsReader],
  exports: [PositionsReader],
})
export class PositionsReaderModule {}
