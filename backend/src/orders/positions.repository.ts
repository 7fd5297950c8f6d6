import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EnsuredRows } from '../database/ensured-rows';
import type { Tx } from '../database/unit-of-work';
import { StatementPart, statementPart } from '../ledger/statement-parts';
import type { OrderSide } from './dto/order.dto';
import type { Execution } from './order-pricing';

/** One execution of an order: who, what, which way, how much. */
export interface Fill {
  userId: string;
  symbol: string;
  side: OrderSide;
  e: Execution;
}

/** A `position_costs` row as read. */
export interface PositionCostRow {
  asset: string;
  quantity: string;
  cost: string;
  realized_pnl: string;
}

/**
 * The `position_costs` table (owned by orders): each user's weighted average
 * cost per asset and realised P&L, written by every fill, read by portfolio
 * through PositionsReader.
 */
@Injectable()
export class PositionsRepository {
  private readonly rows = new EnsuredRows(
    `INSERT INTO position_costs (user_id, asset)
     SELECT * FROM unnest($1::uuid[], $2::varchar[]) ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A sale updates its position row in place, so the row must exist (a sale
   * of an asset never bought here has a zero cost basis): created at zero
   * beforehand, in a statement of its own, like balance rows. Rows are never
   * deleted; a process remembers which exist.
   */
  ensureRows(tx: Tx, fills: Fill[]): Promise<void> {
    const sells = fills.filter((f) => f.side === 'sell');
    return this.rows.ensure(
      tx,
      sells.map((f) => ({ key: `${f.userId}|${f.symbol}`, columns: [f.userId, f.symbol] })),
    );
  }

  /**
   * Weighted average cost of these fills (at most one per user and asset), as
   * a part of the journal statement (a value the ledger runs once the
   * journals `j` are written). A buy adds quantity and cost (fee included); a
   * sale removes cost pro rata and realises P&L on the part that was bought
   * here (proceeds are after the fee). A sale's row must exist: see `ensureRows`.
   */
  costBasisPart(fills: Fill[]): StatementPart {
    const keys = new Set(fills.map((f) => `${f.userId}|${f.symbol}`));
    if (keys.size !== fills.length) throw new Error('positions: one fill per user and asset in a statement');
    const buys = fills.filter((f) => f.side === 'buy');
    const sells = fills.filter((f) => f.side === 'sell');
    return statementPart((bind) => {
      const column = (fs: Fill[], value: (f: Fill) => string, type: string): string => `${bind(fs.map(value))}::${type}[]`;
      const lessQty = 'LEAST(s.qty, pc.quantity)';
      const costSold = `CASE WHEN pc.quantity = 0 THEN 0 ELSE round(pc.cost * ${lessQty} / pc.quantity, 18) END`;
      return [
        {
          name: 'cost_buy',
          sql: `INSERT INTO position_costs (user_id, asset, quantity, cost)
           SELECT x.user_id, x.asset, x.quantity, x.cost
           FROM unnest(${column(buys, (f) => f.userId, 'uuid')}, ${column(buys, (f) => f.symbol, 'varchar')},
                       ${column(buys, (f) => f.e.quantity.toFixed(), 'numeric')}, ${column(buys, (f) => f.e.notional.add(f.e.fee).toFixed(), 'numeric')}) AS x(user_id, asset, quantity, cost)
           WHERE (SELECT count(*) FROM j) > 0
           ON CONFLICT (user_id, asset) DO UPDATE
             SET quantity = position_costs.quantity + EXCLUDED.quantity, cost = position_costs.cost + EXCLUDED.cost, updated_at = now()
           RETURNING 1`,
        },
        {
          name: 'cost_sell',
          sql: `UPDATE position_costs pc SET
             quantity = pc.quantity - ${lessQty},
             cost = pc.cost - ${costSold},
             realized_pnl = pc.realized_pnl + round(s.proceeds * ${lessQty} / s.qty, 18) - ${costSold},
             updated_at = now()
           FROM unnest(${column(sells, (f) => f.userId, 'uuid')}, ${column(sells, (f) => f.symbol, 'varchar')},
                       ${column(sells, (f) => f.e.quantity.toFixed(), 'numeric')}, ${column(sells, (f) => f.e.notional.sub(f.e.fee).toFixed(), 'numeric')}) AS s(user_id, asset, qty, proceeds)
           WHERE pc.user_id = s.user_id AND pc.asset = s.asset AND (SELECT count(*) FROM j) > 0
           RETURNING 1`,
        },
      ];
    });
  }

  /**
   * Weighted average cost of one fill, in a statement of its own (a resting
   * order's fill, inside its transaction): the same SQL as a market order's.
   */
  async updateCostBasis(tx: Tx, fill: Fill): Promise<void> {
    await this.ensureRows(tx, [fill]);
    const part = this.costBasisPart([fill]);
    await tx.query(`WITH j AS (SELECT 1)${part.ctes.map((c) => `, ${c.name} AS (${c.sql})`).join('')} SELECT 1`, part.params);
  }

  /** A user's positions (assets ever bought or sold here). */
  ofUser(userId: string): Promise<PositionCostRow[]> {
    return this.dataSource.query(`SELECT asset, quantity, cost, realized_pnl FROM position_costs WHERE user_id = $1`, [userId]);
  }
}
