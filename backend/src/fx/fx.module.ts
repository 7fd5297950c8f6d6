import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.service';
import { FxReferenceRateEntity } from './entities/fx-reference-rate.entity';
import { FxController } from './fx.controller';
import { FxRatesRepository } from './fx-rates.repository';
import { FxRatesService } from './fx-rates.service';
import { FxRefreshService } from './fx-refresh.service';
import { createFxSource, FX_SOURCE } from './sources/fx-source';

/**
 * Display-currency reference rates (ARCHITECTURE §4): the ECB's daily euro
 * reference rates (or a bundled sample day) → per-USD rates in
 * `fx_reference_rates` → `GET /api/fx/rates`. Display only: nothing that
 * moves or values money reads them. Imports only the global modules.
 */
@Module({
  imports: [TypeOrmModule.forFeature([FxReferenceRateEntity])],
  controllers: [FxController],
  providers: [
    FxRatesRepository,
    FxRatesService,
    FxRefreshService,
    { provide: FX_SOURCE, inject: [AppConfig], useFactory: (config: AppConfig) => createFxSource(config.values) },
  ],
})
export class FxModule {}
