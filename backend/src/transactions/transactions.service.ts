import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, validationFailed } from '../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { formatAmount } from '../common/money/amount-format';
import { dec } from '../common/money/decimal';
import { userAccount } from '../ledger/ledger.types';
import { ActivityEventRow, ActivityLineRow, LedgerReader, TransactionFilters, TransactionRow } from '../ledger/reader/ledger.reader';
import { CandlesReader } from '../prices/candles/candles.reader';
import { eventFigures, statementCsv, toActivityDto } from './activity';
import { ActivityDto, ActivityListDto, ActivityQueryDto } from './dto/activity.dto';
import {
  ListTransactionsQueryDto,
  TransactionDto,
  ExportTransactionsQueryDto,
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
function ledgerFilters(f: { type?: string; asset?: string; from?: string; to?: string }): TransactionFilters {
  const from = f.from ? new Date(f.from) : undefined;
  const to = f.to ? new Date(f.to) : undefined;
  if (from && to && from > to) throw validationFailed([{ field: 'to', message: 'Choose an end that is not before the start' }]);
  return { type: f.type, asset: f.asset, from, to };
}

@Injectable()
export class TransactionsService {
  constructor(
    private readonly ledger: LedgerReader,
    private readonly candles: CandlesReader,
  ) {}

  /**
   * The user's business events, newest first, one page: the events with their legs and totals after (one query), their
   * ledger lines (one query) and the recorded closes that price them (one query for every asset and time of the page).
   */
  async listActivity(user: AuthUser, q: ActivityQueryDto): Promise<ActivityListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'bigint');
    const account = userAccount(user.id);
    const rows = await this.ledger.activity(account, ledgerFilters(q), { limit: limit + 1, cursor });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const lines = await this.ledger.activityLines(
      account,
      page.map((r) => r.id),
    );
    return { items: await this.activityDtos(page, lines), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.seq) : null };
  }

  /** The events as the API answers them, priced with the closes they need (one CandlesReader query). */
  private async activityDtos(rows: readonly ActivityEventRow[], lines: readonly ActivityLineRow[]): Promise<ActivityDto[]> {
    const figures = rows.map((r) => eventFigures(r));
    const wanted = rows.flatMap((r, i) => {
      const asset = figures[i].closeAsset;
      return asset ? [{ asset, at: new Date(r.created_at) }] : [];
    });
    const closes = wanted.length
      ? await this.candles.closesAt(
          [...new Set(wanted.map((w) => w.asset))],
          [...new Set(wanted.map((w) => w.at.getTime()))].map((t) => new Date(t)),
        )
      : new Map<string, Map<number, string>>();
    const byJournal = new Map<string, ActivityLineRow[]>();
    for (const l of lines) byJournal.set(l.journal_id, [...(byJournal.get(l.journal_id) ?? []), l]);
    return rows.map((r, i) => {
      const asset = figures[i].closeAsset;
      const close = asset ? closes.get(asset)?.get(new Date(r.created_at).getTime()) : undefined;
      return toActivityDto(r, figures[i], close === undefined ? undefined : dec(close), byJournal.get(r.id) ?? []);
    });
  }

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

  /**
   * The user's transactions that match the list's filters (all of them without), newest first, as RFC 4180 CSV with
   * decimal strings: the list's columns, then each row's event (its journal's activity item: price, fee, USD value) and
   * the total in its asset after it (activity.ts `statementLine`).
   */
  async exportTransactionsCsv(user: AuthUser, filters: ExportTransactionsQueryDto): Promise<string> {
    const account = userAccount(user.id);
    const f = ledgerFilters(filters);
    const rows = await this.ledger.statement(account, { ...f, eventType: filters.event });
    // Read after the rows, so every row's journal is among them (journals are never deleted).
    const events = await this.ledger.activity(account, { from: f.from, to: f.to });
    const wanted = new Set(rows.map((r) => r.journal_id));
    const dtos = await this.activityDtos(
      events.filter((e) => wanted.has(e.id)),
      [],
    );
    return statementCsv(rows, new Map(dtos.map((d) => [d.id, d])));
  }
}
