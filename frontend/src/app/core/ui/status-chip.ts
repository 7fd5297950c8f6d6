import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

export type ChipTone = 'info' | 'ok' | 'muted' | 'bad';

const TONES: Record<string, ChipTone> = {
  open: 'info',
  pending: 'info',
  waiting: 'info',
  approved: 'info',
  armed: 'info',
  active: 'info',
  filled: 'ok',
  completed: 'ok',
  finished: 'ok',
  triggered: 'ok',
  cancelled: 'muted',
  paused: 'muted',
  skipped: 'muted',
  expired: 'muted',
  rejected: 'bad',
  failed: 'bad',
};

/**
 * The statuses the API sends, in words (orders, transactions, deposits, withdrawals); a status this client does
 * not know shows as it is. A page with its own wording passes `label`.
 */
const TEXTS: Record<string, string> = {
  open: $localize`:status:open`,
  pending: $localize`:status:pending`,
  waiting: $localize`:status:waiting`,
  approved: $localize`:status:approved`,
  armed: $localize`:status:armed`,
  active: $localize`:status:active`,
  filled: $localize`:status:filled`,
  completed: $localize`:status:completed`,
  finished: $localize`:status:finished`,
  triggered: $localize`:status:triggered`,
  cancelled: $localize`:status:cancelled`,
  paused: $localize`:status:paused`,
  skipped: $localize`:status:skipped`,
  expired: $localize`:status:expired`,
  rejected: $localize`:status:rejected`,
  failed: $localize`:status:failed`,
};

/** A status as a small pill; the tone follows the status, the text stays readable in both themes. */
@Component({
  selector: 'cv-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: inline-block;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface);
    }
    :host(.info) {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    :host(.ok) {
      background: light-dark(#d3f2dc, #1d4a2c);
      color: light-dark(#0c4a23, #c8f2d4);
    }
    :host(.bad) {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  host: { '[class]': 'tone()' },
  template: `{{ text() }}`,
})
export class StatusChip {
  readonly status = input.required<string>();
  /** Text to show instead of the raw status. */
  readonly label = input<string | null>(null);
  protected readonly text = computed(() => this.label() ?? TEXTS[this.status()] ?? this.status());
  protected readonly tone = computed<ChipTone>(() => TONES[this.status().toLowerCase()] ?? 'muted');
}
