import { Module } from '@nestjs/common';
import { CandlesReaderRepository } from './candles-reader.repository';
import { CandlesReader } from './candles.reader';

/** Recorded price history as other domains may read it (see CandlesReader). */
@Module({
  providers: [CandlesReaderRepository, CandlesReader],
  exports: [CandlesReader],
})
export class CandlesReaderModule {}
