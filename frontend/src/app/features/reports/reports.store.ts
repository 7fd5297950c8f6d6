import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { getCostBasisMethod } from '../../api/fn/portfolio/get-cost-basis-method';
import { listLots } from '../../api/fn/portfolio/list-lots';
import { setCostBasisMethod } from '../../api/fn/portfolio/set-cost-basis-method';
import { setLotCostBasis } from '../../api/fn/portfolio/set-lot-cost-basis';
import { setWithdrawalOwnWallet } from '../../api/fn/portfolio/set-withdrawal-own-wallet';
import { gainsReport } from '../../api/fn/reports/gains-report';
import { gainsReportCsv } from '../../api/fn/reports/gains-report-csv';
import type { CostBasisMethod, CostBasisMethodDto, GainsCsvLayout, GainsReportDto, LotDto } from '../../api/models';
import { filenameFrom, saveFile } from '../../core/ui/save-file';

/**
 * The reports page's state: the realised gains of one tax year (GET /api/reports/gains), the lot-matching method,
 * and the lots whose cost the owner enters (deposits in kind). Every figure is the server's.
 */
@Injectable()
export class ReportsStore {
  private readonly api = inject(Api);
  readonly year = signal(new Date().getUTCFullYear());
  readonly report = signal<GainsReportDto | null>(null);
  readonly failed = signal(false);
  readonly method = signal<CostBasisMethodDto | null>(null);
  /** Deposits in kind and credits: the lots whose cost their owner enters. */
  readonly editableLots = signal<LotDto[]>([]);
  readonly downloading = signal<GainsCsvLayout | null>(null);
  readonly saving = signal(false);
  private seq = 0;

  async load(): Promise<void> {
    await Promise.all([this.loadReport(), this.loadMethod(), this.loadLots()]);
  }

  setYear(year: number): void {
    if (year === this.year()) return;
    this.year.set(year);
    this.report.set(null);
    void this.loadReport();
  }

  async loadReport(): Promise<void> {
    const seq = ++this.seq;
    this.failed.set(false);
    try {
      const { report } = await this.api.invoke(gainsReport, { year: this.year() });
      if (seq === this.seq) this.report.set(report);
    } catch {
      if (seq === this.seq) this.failed.set(true);
    }
  }

  private async loadMethod(): Promise<void> {
    try {
      this.method.set((await this.api.invoke(getCostBasisMethod)).costBasisMethod);
    } catch {
      this.method.set(null);
    }
  }

  private async loadLots(): Promise<void> {
    try {
      this.editableLots.set((await this.api.invoke(listLots)).items.filter((l) => l.costBasisEditable));
    } catch {
      this.editableLots.set([]);
    }
  }

  async download(layout: GainsCsvLayout): Promise<void> {
    this.downloading.set(layout);
    try {
      const res = await this.api.invoke$Response(gainsReportCsv, { year: this.year(), layout });
      saveFile(new Blob([res.body], { type: 'text/csv;charset=utf-8' }), filenameFrom(res.headers.get('Content-Disposition'), `cryptovault-gains-${this.year()}.csv`));
    } finally {
      this.downloading.set(null);
    }
  }

  async saveMethod(method: CostBasisMethod, effectiveFrom: string | null): Promise<void> {
    this.saving.set(true);
    try {
      const { costBasisMethod } = await this.api.invoke(setCostBasisMethod, { body: { method, ...(effectiveFrom ? { effectiveFrom } : {}) } });
      this.method.set(costBasisMethod);
      await this.loadReport();
    } finally {
      this.saving.set(false);
    }
  }

  async saveLotCost(id: string, costBasis: string): Promise<void> {
    this.saving.set(true);
    try {
      const { lot } = await this.api.invoke(setLotCostBasis, { id, body: { costBasis } });
      this.editableLots.update((lots) => lots.map((l) => (l.id === id ? lot : l)));
      await this.loadReport();
    } finally {
      this.saving.set(false);
    }
  }

  async setOwnWallet(withdrawalId: string, ownWallet: boolean): Promise<void> {
    this.saving.set(true);
    try {
      await this.api.invoke(setWithdrawalOwnWallet, { id: withdrawalId, body: { ownWallet } });
      await this.loadReport();
    } finally {
      this.saving.set(false);
    }
  }
}
