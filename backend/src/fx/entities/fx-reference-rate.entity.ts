import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `fx_reference_rates`: one display currency's rate per 1 USD for one source and publication day. */
@Entity('fx_reference_rates')
export class FxReferenceRateEntity {
  @PrimaryColumn({ name: 'source', type: 'text' })
  source: string;

  /** `YYYY-MM-DD` (PostgreSQL `date`). */
  @PrimaryColumn({ name: 'rate_date', type: 'date' })
  rateDate: string;

  @PrimaryColumn({ name: 'currency', type: 'text' })
  currency: string;

  /** Units of `currency` per 1 USD, a decimal string. */
  @Column({ name: 'per_usd', type: 'numeric' })
  perUsd: string;

  @Column({ name: 'fetched_at', type: 'timestamptz' })
  fetchedAt: Date;
}
