import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Api } from '../../api/api';
import { downloadStatementCsv } from '../../api/fn/reports/download-statement-csv';
import { downloadStatementPdf } from '../../api/fn/reports/download-statement-pdf';
import { listStatementMonths } from '../../api/fn/reports/list-statement-months';
import type { StatementMonthDto } from '../../api/models';
import { ApiError } from '../../core/http/api-error';
import { silentErrors } from '../../core/http/http-context';
import { DisplayFormat } from '../../core/ui/format.pipes';
import { filenameFrom, saveFile } from '../../core/ui/save-file';
import { Skeleton } from '../../core/ui/skeleton';

/**
 * Monthly statements on the Reports page: a month (from the account's first to this one, as the API lists them) and
 * its statement downloaded as PDF or CSV through the SDK. Months are calendar months in UTC, as the statements are.
 */
@Component({
  selector: 'cv-statements-section',
  imports: [MatButtonModule, MatFormFieldModule, MatSelectModule, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel statements" aria-labelledby="statements-title" data-testid="statements">
      <h2 i18n id="statements-title">Monthly statements</h2>
      <p i18n class="muted small">
        Your opening and closing balance in each asset, every movement with its fee, and the value of what you held at the end of the
        month. Months and times are in UTC.
      </p>
      @if (months(); as list) {
        <div class="row">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Month</mat-label>
            <mat-select [value]="month()" (valueChange)="month.set($event)" data-testid="statement-month">
              @for (m of list; track m.month) {
                <mat-option [value]="m.month">{{ label(m) }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <div class="buttons" role="group" aria-label="Download the statement" i18n-aria-label>
            <button i18n mat-flat-button type="button" data-testid="statement-pdf" [disabled]="busy() !== null || !month()" (click)="download('pdf')">
              Download PDF
            </button>
            <button i18n mat-stroked-button type="button" data-testid="statement-csv" [disabled]="busy() !== null || !month()" (click)="download('csv')">
              Download CSV
            </button>
          </div>
        </div>
        @if (error(); as e) { <p class="error-text" role="alert">{{ e }}</p> }
      } @else if (failed()) {
        <p i18n class="muted">Statements unavailable. Try again shortly.</p>
      } @else {
        <cv-skeleton shape="block" [height]="56" />
      }
    </section>
  `,
  styles: `
    .statements .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
    .statements .buttons { display: flex; flex-wrap: wrap; gap: 8px; }
    .statements mat-form-field { min-width: 200px; max-width: 100%; }
  `,
})
export class StatementsSectionComponent implements OnInit {
  private readonly api = inject(Api);
  private readonly locale = inject(DisplayFormat).locale;
  /** "June 2026": the month as the locale names it, in UTC (the statements' time zone). */
  private readonly monthName = new Intl.DateTimeFormat(this.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });

  readonly months = signal<StatementMonthDto[] | null>(null);
  readonly month = signal<string | null>(null);
  readonly failed = signal(false);
  readonly busy = signal<'pdf' | 'csv' | null>(null);
  readonly error = signal<string | null>(null);
  readonly current = computed(() => this.months()?.find((m) => m.month === this.month()) ?? null);

  async ngOnInit(): Promise<void> {
    try {
      const res = await this.api.invoke(listStatementMonths, {});
      this.months.set(res.items);
      this.month.set(res.items[0]?.month ?? null);
    } catch {
      this.failed.set(true);
    }
  }

  label(m: StatementMonthDto): string {
    const name = this.monthName.format(new Date(m.from));
    return m.complete ? name : $localize`${name}:month: (to date)`;
  }

  /** Downloads the month's statement; a refusal is shown here, beside the buttons (no snackbar besides). */
  async download(kind: 'pdf' | 'csv'): Promise<void> {
    const month = this.month();
    if (!month) return;
    this.busy.set(kind);
    this.error.set(null);
    try {
      if (kind === 'pdf') {
        const res = await this.api.invoke$Response(downloadStatementPdf, { month }, silentErrors());
        saveFile(res.body, filenameFrom(res.headers.get('Content-Disposition'), `cryptovault-statement-${month}.pdf`));
      } else {
        const res = await this.api.invoke$Response(downloadStatementCsv, { month }, silentErrors());
        const blob = new Blob([res.body], { type: 'text/csv;charset=utf-8' });
        saveFile(blob, filenameFrom(res.headers.get('Content-Disposition'), `cryptovault-statement-${month}.csv`));
      }
    } catch (e) {
      this.error.set(e instanceof ApiError ? e.message : $localize`The statement could not be downloaded. Try again shortly.`);
    } finally {
      this.busy.set(null);
    }
  }
}
