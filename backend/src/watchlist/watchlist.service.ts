import { Inject, Injectable } from '@nestjs/common';
import { UsersReader } from '../auth/users/users.reader';
import { notFound, unprocessable } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { UnitOfWork } from '../database/unit-of-work';
import { AssetCatalogueService } from '../prices/quotes/asset-catalogue.service';
import type { WatchlistDto } from './dto/watchlist.dto';
import { WatchlistRepository } from './watchlist.repository';
import { MAX_WATCHLIST_ITEMS } from './watchlist-rules';

/**
 * A user's starred assets, each with its latest price and 24 h change. Starring and unstarring are idempotent;
 * only listed assets can be starred, at most MAX_WATCHLIST_ITEMS of them (counted under the user's row lock, so two
 * stars at once never make 51).
 */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly repo: WatchlistRepository,
    private readonly users: UsersReader,
    private readonly uow: UnitOfWork,
    private readonly catalogue: AssetCatalogueService,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  async get(userId: string): Promise<WatchlistDto> {
    const rows = await this.repo.list(userId);
    return {
      items: rows.map((r) => {
        const quote = this.quotes.latest(r.symbol);
        return {
          symbol: r.symbol,
          name: this.catalogue.nameOf(r.symbol) ?? r.symbol,
          price: quote?.price ?? null,
          change24h: quote?.change24h ?? null,
          listed: this.quotes.isKnown(r.symbol),
          addedAt: new Date(r.created_at).toISOString(),
        };
      }),
      max: MAX_WATCHLIST_ITEMS,
    };
  }

  /** Stars a listed asset (again: nothing changes); 404 for an asset not listed, 422 LIMIT_EXCEEDED when full. */
  async add(userId: string, symbol: string): Promise<WatchlistDto> {
    if (!this.quotes.isKnown(symbol)) throw notFound(`No asset with symbol ${symbol}`);
    await this.uow.run(async (tx) => {
      await this.users.lockForUpdate(tx, userId);
      if (await this.repo.has(tx, userId, symbol)) return;
      if ((await this.repo.count(tx, userId)) >= MAX_WATCHLIST_ITEMS) {
        throw unprocessable('LIMIT_EXCEEDED', `At most ${MAX_WATCHLIST_ITEMS} assets fit in a watchlist; remove one first`);
      }
      await this.repo.add(tx, userId, symbol);
    });
    return this.get(userId);
  }

  /** Unstars an asset; one that is not on the watchlist (or not listed any more) changes nothing. */
  async remove(userId: string, symbol: string): Promise<WatchlistDto> {
    await this.repo.remove(userId, symbol);
    return this.get(userId);
  }
}
