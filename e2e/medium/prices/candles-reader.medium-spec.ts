import { CandlesRepository } from '../../../backend/src/prices/candles/candles.repository';
import { CandlesReader } from '../../../backend/src/prices/candles/candles.reader';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('CandlesReader (recorded closes as other domains see them)', () => {
  let m: MediumDatabase;
  let reader: CandlesReader;
  const at = (iso: string) => new Date(iso);

  beforeAll(async () => {
    m = await mediumDatabase();
    reader = new CandlesReader(new CandlesRepository(m.ds));
    const [asset] = await m.db.query<{ symbol: string }>(`SELECT symbol FROM assets WHERE symbol = 'BTC'`);
    if (!asset) await m.db.query(`INSERT INTO assets (symbol, name, coingecko_id) VALUES ('BTC', 'Bitcoin', 'bitcoin')`);
    for (const [bucket, close] of [
      ['2026-01-01T00:00:00Z', '100.5'],
      ['2026-01-01T01:00:00Z', '101.25'],
      ['2026-01-01T03:00:00Z', '99.000000000001'],
    ]) {
      await m.db.query(
        `INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, source) VALUES ('BTC', $1, 3600, $2, $2, $2, $2, 'test')`,
        [bucket, close],
      );
    }
  });
  afterAll(() => m?.close());

  it('gives the close of the latest candle at or before each point, exactly as stored', async () => {
    const points = [at('2025-12-31T23:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-01-01T02:30:00Z'), at('2026-01-02T00:00:00Z')];
    const closes = await reader.closesAt(['BTC', 'ETH'], points);
    const btc = closes.get('BTC')!;
    expect(points.map((p) => btc.get(p.getTime()) ?? null).map((c) => (c === null ? null : Number(c).toString()))).toEqual([
      null,
      '100.5',
      '101.25',
      '99.000000000001',
    ]);
    expect(btc.get(points[3].getTime())).toMatch(/^99\.0000000000010*$/);
    expect(closes.has('ETH')).toBe(false);
  });
});
