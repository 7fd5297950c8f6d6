import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { ReconciliationDto, ReconciliationLineDto, ReconciliationStatus, ReconciliationTrigger } from '../../api/models';
import { ApiError } from '../../core/http/api-error';
import { AmountPipe, WhenPipe } from '../../core/ui/format.pipes';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';
import { StatusChip } from '../../core/ui/status-chip';
import { AdminReconciliationStore } from './admin-reconciliation.store';

/** A run's outcome, in words (the chip's text). */
const STATUS_LABELS: Record<ReconciliationStatus, string> = {
  ok: $localize`:Reconciliation outcome:covered`,
  short: $localize`:Reconciliation outcome:short`,
  error: $localize`:Reconciliation outcome:failed`,
};
/** Chip tones: covered reads as done, a shortfall or a failure as bad. */
const STATUS_TONES: Record<ReconciliationStatus, string> = { ok: 'completed', short: 'failed', error: 'failed' };

const TRIGGER_LABELS: Record<ReconciliationTrigger, string> = {
  schedule: $localize`:Who ran a reconciliation:Daily schedule`,
  admin: $localize`:Who ran a reconciliation:An admin, on demand`,
};

/**
 * The external reconciliation in the back office: per asset, what users own (the ledger's liabilities, holds
 * included) against what the payment provider's account holds, payouts under way counted as leaving. The latest run
 * in full, "Run now", and the earlier runs. On a phone every table becomes cards (CardTable).
 */
@Component({
  selector: 'cv-admin-reconciliation-page',
  imports: [Skeleton, CardTable, StatusChip, WhenPipe, AmountPipe, MatButtonModule],
  providers: [AdminReconciliationStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p i18n class="muted intro">
      Every day, and whenever you run it, what users own of each asset (available and held) is compared with what the payment provider's account holds. Payouts
      under way count as already leaving it. Users' dollars are covered by what is left of USDT and USDC once their holders are, at par.
    </p>
    <div class="bar">
      <button i18n mat-flat-button type="button" [disabled]="running()" (click)="runNow()">Run now</button>
      <button i18n mat-button type="button" (click)="reload()">Refresh</button>
    </div>
    @if (note(); as n) {
      <p [class.error-text]="n.error" [attr.role]="n.error ? 'alert' : 'status'">{{ n.text }}</p>
    }
    @if (store.runs(); as runs) {
      @if (latest(); as r) {
        <section class="latest" [attr.data-reconciliation-id]="r.id" aria-labelledby="latest-title">
          <h2 id="latest-title" i18n>Latest reconciliation</h2>
          <p class="summary">
            <cv-status-chip [status]="tone(r.status)" [label]="statusLabels[r.status]" />
            <span>{{ r.createdAt | when }} · {{ triggerLabels[r.trigger] }} · {{ r.provider }}</span>
          </p>
          @if (r.status === 'error') {
            <p i18n class="error-text" role="alert">The payment provider's balances could not be read: {{ r.error }}</p>
          } @else {
            <div class="table-wrap">
              <table class="data lines">
                <thead>
                  <tr>
                    <th i18n>Asset</th>
                    <th i18n class="num">Users own</th>
                    <th i18n class="num">Provider holds</th>
                    <th i18n class="num">Leaving (payouts)</th>
                    <th i18n class="num">Difference</th>
                    <th i18n class="num">Arriving</th>
                    <th i18n>Result</th>
                  </tr>
                </thead>
                <tbody>
                  @for (l of r.lines; track l.asset) {
                    <tr [attr.data-asset]="l.asset" [class.short]="l.status === 'short'">
                      <td>
                        <strong>{{ l.asset }}</strong>
                        @if (l.backedBy?.length) {
                          <div i18n class="muted">backed by {{ l.backedBy!.join(' + ') }}</div>
                        } @else if (l.currencies.length) {
                          <div class="muted codes">{{ l.currencies.join(', ') }}</div>
                        }
                      </td>
                      <td class="num">{{ l.liabilities | amount: l.asset }}</td>
                      <td class="num">{{ l.provider | amount: l.asset }}</td>
                      <td class="num">{{ l.inFlight | amount: l.asset }}</td>
                      <td class="num difference">{{ l.difference | amount: l.asset : true }}</td>
                      <td class="num">{{ l.pending | amount: l.asset }}</td>
                      <td><cv-status-chip [status]="l.status === 'short' ? 'failed' : 'completed'" [label]="lineLabel(l)" /></td>
                    </tr>
                  } @empty {
                    <tr><td i18n colspan="7" class="muted">Nobody holds anything yet, and the provider holds nothing.</td></tr>
                  }
                </tbody>
              </table>
            </div>
          }
        </section>
      }
      <h2 i18n>Earlier runs</h2>
      <div class="table-wrap">
        <table class="data runs">
          <thead>
            <tr><th i18n>When</th><th i18n>Run by</th><th i18n>Result</th><th i18n>Short</th></tr>
          </thead>
          <tbody>
            @for (r of earlier(); track r.id) {
              <tr [attr.data-reconciliation-id]="r.id">
                <td>{{ r.createdAt | when }}</td>
                <td>{{ triggerLabels[r.trigger] }}</td>
                <td><cv-status-chip [status]="tone(r.status)" [label]="statusLabels[r.status]" /></td>
                <td>{{ shortAssets(r) }}</td>
              </tr>
            } @empty {
              <tr><td i18n colspan="4" class="muted">No earlier runs.</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.cursor()) {
        <button i18n mat-button type="button" (click)="more()">Load more runs</button>
      }
      @if (!runs.length) {
        <p i18n class="muted">No reconciliation has run yet: run one now.</p>
      }
    } @else {
      <cv-skeleton [count]="4" />
    }
  `,
  styles: `
    .intro {
      max-width: 60em;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
      margin-bottom: 8px;
    }
    .summary {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    .codes {
      font-size: 0.85em;
      word-break: break-word;
    }
    tr.short .difference {
      color: var(--mat-sys-error);
      font-weight: 600;
    }
  `,
})
export class AdminReconciliationPage implements OnInit {
  protected readonly store = inject(AdminReconciliationStore);
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly triggerLabels = TRIGGER_LABELS;
  protected readonly running = signal(false);
  protected readonly note = signal<{ text: string; error: boolean } | null>(null);
  protected readonly latest = computed(() => this.store.runs()?.[0] ?? null);
  protected readonly earlier = computed(() => this.store.runs()?.slice(1) ?? []);

  ngOnInit(): void {
    this.reload();
  }

  protected reload(): void {
    this.note.set(null);
    void this.store.load().catch(() => undefined);
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }

  protected tone(status: ReconciliationStatus): string {
    return STATUS_TONES[status];
  }

  protected lineLabel(l: ReconciliationLineDto): string {
    return l.status === 'short' ? $localize`:Reconciliation of one asset:short` : $localize`:Reconciliation of one asset:covered`;
  }

  /** The assets a run found short, or a dash. */
  protected shortAssets(r: ReconciliationDto): string {
    const short = r.lines.filter((l) => l.status === 'short').map((l) => l.asset);
    return short.length ? short.join(', ') : '—';
  }

  protected async runNow(): Promise<void> {
    this.running.set(true);
    this.note.set(null);
    try {
      const r = await this.store.run();
      this.note.set({
        text:
          r.status === 'ok'
            ? $localize`Reconciled: the provider covers every asset.`
            : r.status === 'short'
              ? $localize`Reconciled: the provider does not cover every asset (see below).`
              : $localize`The reconciliation ran, but the payment provider's balances could not be read.`,
        error: r.status !== 'ok',
      });
    } catch (err) {
      this.note.set({ text: ApiError.from(err).message, error: true });
    } finally {
      this.running.set(false);
    }
  }
}
