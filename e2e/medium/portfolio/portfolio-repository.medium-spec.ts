import { dec } from '../../../backend/src/common/money/decimal';
import { PortfolioRepository } from '../../../backend/src/portfolio/portfolio.repository';
import { AssetCatalogueService } from '../../../backend/src/prices/quotes/asset-catalogue.service';
import { AssetsRepository } from '../../../backend/src/prices/quotes/assets.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/** Tracked outside holdings (portfolio's own table), driven through PortfolioRepository. */
describe('PortfolioRepository (tracked holdings)', () => {
  let m: MediumDatabase;
  let repo: PortfolioRepository;
  let userId: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new PortfolioRepository(m.ds);
    const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('tracker@example.test', 'x', 'x') RETURNING id`);
    userId = row.id;
  });
  afterAll(() => m?.close());

  it('adds to a tracked holding with the average cost weighted by amount, and keeps a known cost when a lot has none', async () => {
    await repo.track(userId, 'ETH', '2', '1000', new Date('2025-03-01T00:00:00Z'));
    await repo.track(userId, 'ETH', '1', '4000', null);
    await repo.track(userId, 'ETH', '1', null, null);
    const [eth] = await repo.tracked(userId);
    expect([eth.symbol, dec(eth.amount).toFixed(), dec(eth.avg_cost!).toFixed()]).toEqual(['ETH', '4', '2000']);
  });

  it('records each addition as a dated lot, and reads what an older instance added without one as a lot at its update', async () => {
    const lots = await repo.lots(userId);
    expect(lots.map((l) => [l.symbol, dec(l.quantity).toFixed(), l.unit_cost === null ? null : dec(l.unit_cost).toFixed()])).toEqual([
      ['ETH', '2', '1000'],
      ['ETH', '1', '4000'],
      ['ETH', '1', null],
    ]);
    expect(new Date(lots[0].acquired_at).toISOString()).toBe('2025-03-01T00:00:00.000Z');
    // An instance that predates the lots adds to the running total only.
    await m.db.query(`UPDATE tracked_holdings SET amount = amount + 0.5, updated_at = now() WHERE user_id = $1 AND symbol = 'ETH'`, [userId]);
    const after = await repo.lots(userId);
    expect(after.map((l) => dec(l.quantity).toFixed())).toEqual(['2', '1', '1', '0.5']);
  });

  it('removes a tracked holding once, its lots with it', async () => {
    expect(await repo.untrack(userId, 'ETH')).toBe(true);
    expect(await repo.untrack(userId, 'ETH')).toBe(false);
    expect(await repo.tracked(userId)).toEqual([]);
    expect(await repo.lots(userId)).toEqual([]);
    expect(await m.db.query(`SELECT 1 FROM tracked_holding_lots WHERE user_id = $1`, [userId])).toEqual([]);
  });

  it('names a held asset from the catalogue even after it is disabled (it leaves the market list, not the portfolio)', async () => {
    await m.db.query(`UPDATE assets SET enabled = false WHERE symbol = 'DOGE'`);
    const catalogue = new AssetCatalogueService(new AssetsRepository(m.ds));
    await catalogue.onModuleInit();
    expect(catalogue.nameOf('btc')).toBe('Bitcoin');
    expect(catalogue.nameOf('DOGE')).toBe('Dogecoin');
    expect(catalogue.symbols()).not.toContain('DOGE');
    expect(catalogue.nameOf('NOPE')).toBeUndefined();
  });
});
