import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { AuthUser } from '../../common/auth/auth-user';
import { CASH_ASSET } from '../../common/money/amount-format';
import { unprocessable, validationFailed } from '../../common/errors/app-error';
import { AppConfig } from '../../config/config.service';
import { UsersReader } from '../../auth/users/users.reader';
import { userAccount } from '../../ledger/ledger.types';
import { LedgerReader } from '../../ledger/reader/ledger.reader';
import { CandlesReader } from '../../prices/candles/candles.reader';
import type { StatementMonthsDto } from './dto/statements.dto';
import { MONTH_PATTERN, buildStatement, monthEnd, monthOf, monthStart, monthsBetween, statementFilename, type Statement } from './statement';
import { statementCsvChunks } from './statement-csv';
import { statementPdf } from './statement-pdf';

/**
 * Monthly account statements (API.md "Statements"): the months a user has, and a month's statement as PDF or CSV. Every
 * read is done (the ledger in one snapshot, the holder, the closes), each on a connection of its own released at once,
 * before anything is written: no connection is held while a PDF is made.
 */
@Injectable()
export class StatementsService {
  constructor(
    private readonly ledger: LedgerReader,
    private readonly users: UsersReader,
    private readonly candles: CandlesReader,
    private readonly config: AppConfig,
  ) {}

  /** From the month of the account's first ledger entry (this month before it has one) to this month, newest first. */
  async months(user: AuthUser): Promise<StatementMonthsDto> {
    const now = new Date();
    const first = await this.ledger.firstEntryAt(userAccount(user.id));
    const items = monthsBetween(monthOf(first ?? now), monthOf(now)).map((month) => ({
      month,
      from: monthStart(month).toISOString(),
      to: monthEnd(month).toISOString(),
      complete: monthEnd(month) <= now,
    }));
    return { items, timeZone: 'UTC' };
  }

  /**
   * The PDF is written in one go on the event loop (statement-pdf.ts), so its size is bounded: a month with more than
   * STATEMENT_PDF_MAX_ROWS movements (5,000) is 422 STATEMENT_TOO_LARGE, before anything is sent; its CSV has them all.
   */
  async pdf(user: AuthUser, month: string): Promise<{ file: Readable; filename: string }> {
    const statement = await this.statement(user, month);
    const movements = statement.assets.reduce((n, a) => n + a.movements.length, 0);
    const limit = this.config.values.statementPdfMaxRows;
    if (movements > limit) {
      const [count, max] = [movements.toLocaleString('en-US'), limit.toLocaleString('en-US')];
      throw unprocessable('STATEMENT_TOO_LARGE', `This month has ${count} movements, more than a PDF statement holds (${max}); download the CSV instead`);
    }
    return { file: statementPdf(statement), filename: statementFilename(month, 'pdf') };
  }

  /** The CSV, streamed a piece at a time (statementCsvChunks): a month of any size, which the PDF may not hold. */
  async csv(user: AuthUser, month: string): Promise<{ file: Readable; filename: string }> {
    const statement = await this.statement(user, month);
    return { file: Readable.from(statementCsvChunks(statement), { objectMode: false, encoding: 'utf8' }), filename: statementFilename(month, 'csv') };
  }

  /** The month's statement of the caller's account: 400 for a malformed month, one in the future or before the account's first. */
  private async statement(user: AuthUser, month: string): Promise<Statement> {
    if (!MONTH_PATTERN.test(month)) throw validationFailed([{ field: 'month', message: 'Choose a month like 2026-06 (year and month)' }]);
    const account = userAccount(user.id);
    const now = new Date();
    const [first, holder] = await Promise.all([this.ledger.firstEntryAt(account), this.users.holder(user.id)]);
    const earliest = monthOf(first ?? now);
    const latest = monthOf(now);
    if (month < earliest || month > latest) throw validationFailed([{ field: 'month', message: `Choose a month from ${earliest} to ${latest}` }]);
    const rows = await this.ledger.periodStatement(account, monthStart(month), monthEnd(month));
    const complete = monthEnd(month) <= now;
    const valuedAt = complete ? monthEnd(month) : now;
    const crypto = [...new Set(rows.map((r) => r.asset))].filter((a) => a !== CASH_ASSET);
    const closes = new Map<string, string>();
    if (crypto.length) {
      const found = await this.candles.closesAt(crypto, [valuedAt]);
      for (const asset of crypto) {
        const close = found.get(asset)?.get(valuedAt.getTime());
        if (close !== undefined) closes.set(asset, close);
      }
    }
    return buildStatement({ month, now, holder: holder ?? { name: '', email: user.email }, rows, closes });
  }
}
