import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work';
import { Fill, PositionsRepository } from './positions.repository';

export type { Fill };

/**
 * What another trading domain (convert) may write of the cost basis orders keep: one exchange of an asset, valued
 * in USD, recorded as a fill in the caller's transaction (the same SQL as an order's fill: weighted average cost,
 * realised P&L on a sale).
 */
@Injectable()
export class CostBasisWriter {
  constructor(private readonly positions: PositionsRepository) {}

  record(tx: Tx, fill: Fill): Promise<void> {
    return this.positions.updateCostBasis(tx, fill);
  }
}
