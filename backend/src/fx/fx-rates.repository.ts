import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FxSourceName } from '../config/app-config';

/** A stored rate as the query returns it (date and number as text, so nothing is converted on the way). */
export interface FxRateRow {
  rate_date: string;
  currency: string;
  per_usd: string;
  fetched_at: Date;
}

/** All SQL of `fx_reference_rates` (owned by fx). */
@Injectable()
export class FxRatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rates of the latest publication day stored for `source` (none: nothing was ever fetched). */
  latest(source: FxSourceName): Promise<FxRateRow[]> {
    return this.dataSource.query<FxRateRow[]>(
      `SELECT rate_date::text AS rate_date, currency, per_usd::text AS per_usd, fetched_at
         FROM fx_reference_rates
        WHERE source = $1 AND rate_date = (SELECT max(rate_date) FROM fx_reference_rates WHERE source = $1)
        ORDER BY currency`,
      [source],
    );
  }

  /** When `source` last answered with usable rates (any day), or null. */
  async lastFetchedAt(source: FxSourceName): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ at: Date | string | null }[]>(`SELECT max(fetched_at) AS at FROM fx_reference_rates WHERE source = $1`, [
      source,
    ]);
    return row?.at ? new Date(row.at) : null;
  }

  /** Stores one day's rates in one statement; a day fetched again gets the new figures and time. */
  async store(source: FxSourceName, date: string, perUsd: Record<string, string>, fetchedAt: Date): Promise<void> {
    const entries = Object.entries(perUsd);
    const params: unknown[] = [source, date, fetchedAt];
    const values = entries.map(([currency, rate]) => `($1, $2::date, $${params.push(currency)}, $${params.push(rate)}::numeric, $3::timestamptz)`);
    await this.dataSource.query(
      `INSERT INTO fx_reference_rates (source, rate_date, currency, per_usd, fetched_at)
       VALUES ${values.join(', ')}
       ON CONFLICT (source, rate_date, currency) DO UPDATE SET per_usd = EXCLUDED.per_usd, fetched_at = EXCLUDED.fetched_at`,
      params,
    );
  }
}
