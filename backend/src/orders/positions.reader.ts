import { Injectable } from '@nestjs/common';
import { dec, type Dec } from '../common/money/decimal';
import { PositionsRepository } from './positions.repository';

/** A user's position in one asset, as the portfolio values it. */
export interface Position {
  asset: string;
  quantity: Dec;
  cost: Dec;
  realizedPnl: Dec;
}

/** What another domain (portfolio) may read of the cost basis orders keep: a user's positions. */
@Injectable()
export class PositionsReader {
  constructor(private readonly repo: PositionsRepository) {}

  async ofUser(userId: string): Promise<Position[]> {
    return (await this.repo.ofUser(userId)).map((r) => ({ asset: r.asset, quantity: dec(r.quantity), cost: dec(r.cost), realizedPnl: dec(r.realized_pnl) }));
  }
}
