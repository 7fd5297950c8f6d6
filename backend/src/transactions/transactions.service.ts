import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, validationFailed } from '../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { formatAmount } from '../common/money/amount-format';
import { dec } from '../common/money/decimal';
import { userAccount } from '../ledger/ledger.types';
import { LedgerReader, TransactionFilters, TransactionRow } from '../ledger/reader/ledger.reader';
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

function toTransactionDto(r: TransactionRow): TransactionDto {
  return {
    id: String(r.id),
    type: r.type as TransactionType,
    asset: r.asset,
    amount: formatAmount(r.amount, r.asset),
    status: 'completed',
    description: r.description,
    reference: r.reference,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The list's filters as the ledger reads them; `from` after `to` is a 400. */
function ledgerFilters(f: TransactionFiltersDto): TransactionFilters {
  const from = f.from ? new Date(f.from) : undefined;
  const to = f.to ? new Date(f.to) : undefined;
  if (from && to && from > to) throw validationFailed([{ field: 'to', message: 'Choose an end that is not before the start' }]);
  return { type: f.type, asset: f.asset, from, to };
}

@Injectable()
export class TransactionsService {
  constructor(private readonly ledger: LedgerReader) {}

  async listTransactions(user: AuthUser, q: ListTransactionsQueryDto): Promise<TransactionListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'bigint');
    const rows = await this.ledger.transactions(userAccount(user.id), ledgerFilters(q), { limit: limit + 1, cursor });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toTransactionDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async getTransaction(user: AuthUser, id: string): Promise<TransactionResponseDto> {
    const row = await this.ledger.transaction(userAccount(user.id), id);
    if (!row) throw notFound('No such transaction');
    return { transaction: toTransactionDto(row) };
  }

  async transactionStats(user: AuthUser): Promise<TransactionStatsResponseDto> {
    const rows = await this.ledger.transactionStats(userAccount(user.id));
    const byType = new Map<TransactionType, number>();
    const byAsset = new Map<string, { credited: ReturnType<typeof dec>; debited: ReturnType<typeof dec>; fees: ReturnType<typeof dec> }>();
    let firstAt: Date | undefined;
    let lastAt: Date | undefined;
    for (const r of rows) {
      byType.set(r.type as TransactionType, (byType.get(r.type as TransactionType) ?? 0) + r.count);
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
    const rows = await this.ledger.transactions(userAccount(user.id), ledgerFilters(filters));
    let out = csvLine(['id', 'type', 'asset', 'amount', 'status', 'description', 'reference', 'createdAt']);
    for (const t of rows.map(toTransactionDto)) {
      out += csvLine([t.id, t.type, t.asset, csvField(t.amount), t.status, csvText(t.description), csvText(t.reference), t.createdAt]);
    }
    return out;
  }
}
