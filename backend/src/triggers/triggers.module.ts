import { Module } from '@nestjs/common';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { TriggerEngine } from './trigger-engine';

/**
 * The trigger engine (one book per registered kind, one skeleton): resting
 * orders (orders module) and price alerts (alerts module) register into it
 * and keep their own action. Stands on the quotes only.
 */
@Module({
  imports: [QuotesModule],
  providers: [TriggerEngine],
  exports: [TriggerEngine],
})
export class TriggersModule {}
