import { Module } from '@nestjs/common';
import { CandlesRepository } from './candles.repository';
import { CandlesReader } from './candles.reader';

/** Recorded price history as other domains may read it (see CandlesReader). */
@Module({
  providers: [CandlesRepository, CandlesReader],
  exports: [CandlesReader],
})
export class CandlesReaderModule {}
