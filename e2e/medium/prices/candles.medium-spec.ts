import { CandlesRepository } from '../../../backend/src/prices/candles/candles.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('CandlesRepository (price history as stored and aggregated)', () => {
  let m: MediumDatabase;
  let repo: CandlesRepository;
  const candle = (bucket: string, width: number, open: string, high: string, low: string, close: string, volume = '1') => ({
    symbol: 'ETH',
    bucket: new Date(bucket),
    width,
    open,
    high,
    low,
    close,
    volume,
    source: 'test',
  });
  const stored = (width: number) =>
    m.db.query<{ bucket: Date; open: string; high: string; low: string; close: string; volume: string }>(
      `SELECT bucket, open::text, high::text, low::text, close::text, volume::text FROM price_candles WHERE symbol = 'ETH' AND width_seconds = $1 ORDER BY bucket`,
      [width],
    );
  const num = (s: string) => Number(s).toString();

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new CandlesRepository(m.ds);
  });
  afterAll(() => m?.close());
  beforeEach(() => m.db.query(`DELETE FROM price_candles WHERE symbol = 'ETH'`));

  it('merges a minute written twice: the first open stays, high and low widen, the last close wins', async () => {
    await repo.upsert([candle('2026-03-01T10:00:00Z', 60, '100', '101', '99', '100.5')]);
    await repo.upsert([candle('2026-03-01T10:00:00Z', 60, '105', '110', '98.5', '104.25', '3')]);
    const [row] = await stored(60);
    expect([row.open, row.high, row.low, row.close, row.volume].map(num)).toEqual(['100', '110', '98.5', '104.25', '3']);
  });

  it('aggregates minutes into wider candles exactly, and backfill never overwrites a stored candle', async () => {
    await repo.upsert([
      candle('2026-03-01T10:00:00Z', 60, '100', '102', '99', '101', '2'),
      candle('2026-03-01T10:01:00Z', 60, '101', '107.5', '100.5', '106', '0.5'),
      candle('2026-03-01T10:05:00Z', 60, '106', '106', '90.00000001', '91', '1'),
    ]);
    await repo.insertIfAbsent([candle('2026-03-01T10:00:00Z', 60, '1', '1', '1', '1'), candle('2026-03-01T09:00:00Z', 3600, '95', '99', '94', '100')], 1);
    const five = await repo.aggregate('ETH', 300, new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:10:00Z'));
    expect(five.map((c) => [new Date(c.time).toISOString(), num(c.open), num(c.high), num(c.low), num(c.close), num(c.volume)])).toEqual([
      ['2026-03-01T10:00:00.000Z', '100', '107.5', '99', '106', '2.5'],
      ['2026-03-01T10:05:00.000Z', '106', '106', '90.00000001', '91', '1'],
    ]);
    // An hourly candle is no wider than 1h: it joins; a 5-minute query leaves it out.
    const hour = await repo.aggregate('ETH', 3600, new Date('2026-03-01T09:00:00Z'), new Date('2026-03-01T11:00:00Z'));
    expect(hour.map((c) => [num(c.open), num(c.close)])).toEqual([
      ['95', '100'],
      ['100', '91'],
    ]);
    expect((await repo.oldest('ETH'))?.toISOString()).toBe('2026-03-01T09:00:00.000Z');
  });

  it('rolls minutes before the cutoff into hourly candles and drops what is older than asked, in one transaction', async () => {
    await repo.upsert([
      candle('2026-03-01T10:00:00Z', 60, '100', '102', '99', '101', '2'),
      candle('2026-03-01T10:30:00Z', 60, '101', '108', '100', '107', '1'),
      candle('2026-03-01T11:00:00Z', 60, '107', '107', '107', '107', '1'),
      candle('2025-01-01T00:00:00Z', 3600, '5', '5', '5', '5', '1'),
    ]);
    await m.ds.transaction(async (tx) => {
      await repo.rollUpToHours(tx, new Date('2026-03-01T11:00:00Z'));
      await repo.deleteBefore(tx, new Date('2026-01-01T00:00:00Z'));
    });
    expect((await stored(60)).map((r) => r.bucket.toISOString())).toEqual(['2026-03-01T11:00:00.000Z']);
    const hourly = await stored(3600);
    expect(hourly.map((r) => [r.bucket.toISOString(), num(r.open), num(r.high), num(r.low), num(r.close), num(r.volume)])).toEqual([
      ['2026-03-01T10:00:00.000Z', '100', '108', '99', '107', '3'],
    ]);
  });

  it('reads the extremes of a series: over a window, and its highest high of all time with the candle that made it', async () => {
    await repo.upsert([
      candle('2026-02-01T00:00:00Z', 86_400, '90', '130.5', '80', '95'),
      candle('2026-03-01T10:00:00Z', 60, '100', '102', '99', '101'),
      candle('2026-03-01T10:05:00Z', 300, '101', '108', '97.25', '107'),
      candle('2026-03-01T10:10:00Z', 60, '107', '130.5', '106', '107'),
    ]);
    const since = new Date('2026-03-01T10:01:00Z');
    const x = await repo.extremes('ETH', since);
    expect([num(x.high!), num(x.low!), num(x.allTimeHigh!), x.allTimeHighAt?.toISOString()]).toEqual(['130.5', '97.25', '130.5', '2026-02-01T00:00:00.000Z']);
    expect(await repo.extremes('ETH', new Date('2026-03-02T00:00:00Z'))).toMatchObject({ high: null, low: null });
    expect(await repo.extremes('NONE', since)).toEqual({ high: null, low: null, allTimeHigh: null, allTimeHighAt: null });
    const recent = await repo.recentExtremes(['ETH', 'NONE', 'ETH'], since);
    expect(recent.map((r) => [r.symbol, r.high && num(r.high), r.low && num(r.low)]).sort()).toEqual([
      ['ETH', '130.5', '97.25'],
      ['NONE', null, null],
    ]);
  });
});
