import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, validationFailed } from '../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { formatAmount } from '../common/money/amount-format';
import { dec } from '../common/money/decimal';
import { userAccount } from '../wallet/ledger.types';
import { csvField, csvLine, csvText } from './csv';
import {
  ListTransactionsQueryDto,
  TransactionDto,
  TransactionFiltersDto,
  TransactionListDto,
  TransactionResponseDto,
  TransactionStatsResponseDto,
  TransactionType,
} from './dto/transaction.dto';

interface TransactionRow {
  id: string;
  type: TransactionType;
  asset: string;
  amount: string;
  description: string;
  reference: string;
  created_at: Date;
}

/**
 * A user-facing transaction is what one journal did to one asset of the
 * user, per kind (a buy shows the USD paid, the fee and the asset received
 * as three lines). Holds and releases only move money between the user's
 * own buckets and are not shown. The id is the first entry's id.
 */
const TRANSACTIONS_SQL = `
  SELECT min(e.id) AS id, e.kind AS type, e.asset, sum(e.amount) AS amount, j.description, j.reference, j.created_at
  FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
  WHERE e.account = $1 AND e.kind NOT IN ('hold', 'release')
  GROUP BY e.journal_id, e.kind, e.asset, j.description, j.reference, j.created_at
  HAVING sum(e.amount) <> 0`;

function toTransactionDto(r: TransactionRow): TransactionDto {
  return {
    id: String(r.id),
    type: r.type,
    asset: r.asset,
    amount: formatAmount(r.amount, r.asset),
    status: 'completed',
    description: r.description,
    reference: r.reference,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** SQL conditions on `t` for the filters, their values appended to `params`; `from` after `to` is a 400. */
function filterConditions(f: TransactionFiltersDto, params: unknown[]): string[] {
  const where: string[] = [];
  const from = f.from ? new Date(f.from) : undefined;
  const to = f.to ? new Date(f.to) : undefined;
  if (from && to && from > to) throw validationFailed([{ field: 'to', message: 'to must not be before from' }]);
  if (f.type) where.push(`t.type = $${params.push(f.type)}`);
  if (f.asset) where.push(`t.asset = $${params.push(f.asset)}`);
  if (from) where.push(`t.created_at >= $${params.push(from)}`);
  if (to) where.push(`t.created_at < $${params.push(to)}`);
  return where;
}

@Injectable()
export class TransactionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listTransactions(user: AuthUser, q: ListTransactionsQueryDto): Promise<TransactionListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'bigint');
    const params: unknown[] = [userAccount(user.id)];
    const where = filterConditions(q, params);
    if (cursor) {
      where.push(`(t.created_at, t.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::bigint)`);
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM (${TRANSACTIONS_SQL}) t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit + 1}`,
      params,
    )) as TransactionRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toTransactionDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async getTransaction(user: AuthUser, id: string): Promise<TransactionResponseDto> {
    const rows = (await this.dataSource.query(`SELECT * FROM (${TRANSACTIONS_SQL}) t WHERE t.id = $2::bigint`, [userAccount(user.id), id])) as TransactionRow[];
    if (!rows.length) throw notFound('No such transaction');
    return { transaction: toTransactionDto(rows[0]) };
  }

  async transactionStats(user: AuthUser): Promise<TransactionStatsResponseDto> {
    const rows = (await this.dataSource.query(
      `SELECT t.type, t.asset, count(*)::int AS count,
              coalesce(sum(t.amount) FILTER (WHERE t.amount > 0), 0) AS credited,
              coalesce(-sum(t.amount) FILTER (WHERE t.amount < 0), 0) AS debited,
              min(t.created_at) AS first_at, max(t.created_at) AS last_at
       FROM (${TRANSACTIONS_SQL}) t GROUP BY t.type, t.asset ORDER BY t.asset, t.type`,
      [userAccount(user.id)],
    )) as { type: TransactionType; asset: string; count: number; credited: string; debited: string; first_at: Date; last_at: Date }[];
    const byType = new Map<TransactionType, number>();
    const byAsset = new Map<string, { credited: ReturnType<typeof dec>; debited: ReturnType<typeof dec>; fees: ReturnType<typeof dec> }>();
    let firstAt: Date | undefined;
    let lastAt: Date | undefined;
    for (const r of rows) {
      byType.set(r.type, (byType.get(r.type) ?? 0) + r.count);
      const a = byAsset.get(r.asset) ?? { credited: dec(0), debited: dec(0), fees: dec(0) };
      a.credited = a.credited.add(r.credited);
      a.debited = a.debited.add(r.debited);
      if (r.type === 'fee') a.fees = a.fees.add(r.debited).sub(r.credited);
      byAsset.set(r.asset, a);
      if (!firstAt || r.first_at < firstAt) firstAt = r.first_at;
      if (!lastAt || r.last_at > lastAt) lastAt = r.last_at;
    }
    return {
      stats: {
        count: [...byType.values()].reduce((s, n) => s + n, 0),
        byType: [...byType].map(([type, count]) => ({ type, count })),
        byAsset: [...byAsset].map(([asset, a]) => ({
          asset,
          credited: formatAmount(a.credited, asset),
          debited: formatAmount(a.debited, asset),
          net: formatAmount(a.credited.sub(a.debited), asset),
          fees: formatAmount(a.fees, asset),
        })),
        firstAt: firstAt ? new Date(firstAt).toISOString() : null,
        lastAt: lastAt ? new Date(lastAt).toISOString() : null,
      },
    };
  }

  /** The user's transactions that match the list's filters (all of them without), newest first, as RFC 4180 CSV with decimal strings. */
  async exportTransactionsCsv(user: AuthUser, filters: TransactionFiltersDto): Promise<string> {
    const params: unknown[] = [userAccount(user.id)];
    const where = filterConditions(filters, params);
    const rows = (await this.dataSource.query(
      `SELECT * FROM (${TRANSACTIONS_SQL}) t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC`,
      params,
    )) as TransactionRow[];
    let out = csvLine(['id', 'type', 'asset', 'amount', 'status', 'description', 'reference', 'createdAt']);
    for (const t of rows.map(toTransactionDto)) {
      out += csvLine([t.id, t.type, t.asset, csvField(t.amount), t.status, csvText(t.description), csvText(t.reference), t.createdAt]);
    }
    return out;
  }
}
