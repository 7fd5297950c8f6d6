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
    await repo.track(userId, 'ETH', '2', '1000');
    await repo.track(userId, 'ETH', '1', '4000');
    await repo.track(userId, 'ETH', '1', null);
    const [eth] = await repo.tracked(userId);
    expect([eth.symbol, dec(eth.amount).toFixed(), dec(eth.avg_cost!).toFixed()]).toEqual(['ETH', '4', '2000']);
  });

  it('removes a tracked holding once', async () => {
    expect(await repo.untrack(userId, 'ETH')).toBe(true);
    expect(await repo.untrack(userId, 'ETH')).toBe(false);
    expect(await repo.tracked(userId)).toEqual([]);
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
