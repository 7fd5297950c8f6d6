import type { FxSource } from './sources/fx-source';
import { DISPLAY_CURRENCIES } from './sources/ecb-reference-rates';
import type { FxRatesDto, FxRateValuesDto } from './dto/fx-rates.dto';
import type { FxRateRow } from './fx-rates.repository';

/** The stored rows of one publication day (or none) → the response. Without rows only USD is offered, dated null. */
export function toFxRatesDto(source: Pick<FxSource, 'name' | 'label'>, rows: FxRateRow[]): FxRatesDto {
  const rates: FxRateValuesDto = { USD: '1' };
  let fetchedAt: Date | null = null;
  for (const currency of DISPLAY_CURRENCIES) {
    const row = rows.find((r) => r.currency === currency);
    if (!row) continue;
    if (currency !== 'USD') rates[currency] = row.per_usd;
    const at = new Date(row.fetched_at);
    if (!fetchedAt || at > fetchedAt) fetchedAt = at;
  }
  return {
    base: 'USD',
    date: fetchedAt ? rows[0].rate_date : null,
    source: source.name,
    sourceName: source.label,
    fetchedAt: fetchedAt?.toISOString() ?? null,
    rates,
  };
}
