import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { LotBookBuilder } from '../portfolio/lots/lot-book.builder';
import { methodAt } from '../portfolio/lots/lot-matching';
import { GainsCsvQueryDto, GainsQueryDto, GainsReportResponseDto } from './dto/gains.dto';
import { cointrackerCsv, cryptovaultCsv, gainsReport, koinlyCsv } from './gains-report';

/** Reports over a user's history: realised gains per tax year (JSON and CSV in three layouts). */
@Injectable()
export class ReportsService {
  constructor(private readonly lots: LotBookBuilder) {}

  async gains(user: AuthUser, q: GainsQueryDto): Promise<GainsReportResponseDto> {
    const built = await this.lots.build(user.id);
    const r = gainsReport(built, q.year ?? new Date().getUTCFullYear());
    return {
      report: {
        year: r.year,
        from: r.from.toISOString(),
        to: r.to.toISOString(),
        method: methodAt(built.methods, new Date()),
        disposals: r.rows.map((row) => ({
          journalId: row.journalId,
          lotId: row.lotId,
          asset: row.asset,
          quantity: row.quantity,
          acquiredAt: row.acquiredAt ? row.acquiredAt.toISOString() : null,
          disposedAt: row.disposedAt.toISOString(),
          kind: row.kind,
          method: row.method,
          proceeds: row.proceeds,
          costBasis: row.costBasis,
          fee: row.fee,
          gain: row.gain,
          term: row.term,
          withdrawalId: row.withdrawalId,
        })),
        totals: r.totals,
        withdrawals: r.withdrawals.map((w) => ({ ...w, sentAt: w.sentAt.toISOString() })),
        unknownCostBasisLots: built.book.lots.filter((l) => l.cost === null).length,
      },
    };
  }

  /** The CSV and its file name (`cryptovault-gains-2026.csv`, `…-koinly.csv`, `…-cointracker.csv`). */
  async gainsCsv(user: AuthUser, q: GainsCsvQueryDto): Promise<{ fileName: string; body: string }> {
    const built = await this.lots.build(user.id);
    const year = q.year ?? new Date().getUTCFullYear();
    const layout = q.layout ?? 'cryptovault';
    const r = gainsReport(built, year);
    const body = layout === 'koinly' ? koinlyCsv(built, r) : layout === 'cointracker' ? cointrackerCsv(built, r) : cryptovaultCsv(r);
    return { fileName: `cryptovault-gains-${year}${layout === 'cryptovault' ? '' : `-${layout}`}.csv`, body };
  }
}
