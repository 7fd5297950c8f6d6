import { toFxRatesDto } from './fx-rates.mapper';
import { ECB_LABEL, SAMPLE_LABEL } from './sources/fx-source';

describe('toFxRatesDto', () => {
  it('offers USD only, dated null, when nothing is stored', () => {
    expect(toFxRatesDto({ name: 'ecb', label: ECB_LABEL }, [])).toEqual({
      base: 'USD',
      date: null,
      source: 'ecb',
      sourceName: ECB_LABEL,
      fetchedAt: null,
      rates: { USD: '1' },
    });
  });

  it('gives the stored decimal strings as they are, the day, and the latest fetch time', () => {
    const dto = toFxRatesDto({ name: 'sample', label: SAMPLE_LABEL }, [
      { rate_date: '2024-06-28', currency: 'EUR', per_usd: '0.9341429239', fetched_at: new Date('2026-12-03T10:00:00.000Z') },
      { rate_date: '2024-06-28', currency: 'GBP', per_usd: '0.7906398879', fetched_at: new Date('2026-12-03T10:00:00.250Z') },
      { rate_date: '2024-06-28', currency: 'USD', per_usd: '1', fetched_at: new Date('2026-12-03T10:00:00.000Z') },
    ]);
    expect(dto).toEqual({
      base: 'USD',
      date: '2024-06-28',
      source: 'sample',
      sourceName: SAMPLE_LABEL,
      fetchedAt: '2026-12-03T10:00:00.250Z',
      rates: { USD: '1', EUR: '0.9341429239', GBP: '0.7906398879' },
    });
    expect(Object.keys(dto.rates)).toEqual(['USD', 'EUR', 'GBP']);
  });
});
