import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';

/** "4:05", "1:02:09": the time left, to the second. */
export function timeLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * The time left until `until`, ticking every second: "14:59 left", then "Expired". The ticking text is not
 * announced (a timer that talks every second is noise); its accessible name says what it counts down to.
 */
@Component({
  selector: 'cv-deposit-countdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span role="timer" aria-live="off" [class.over]="over()">{{ text() }}</span>`,
  styles: `
    span {
      font-variant-numeric: tabular-nums;
    }
    .over {
      color: var(--mat-sys-error);
    }
  `,
})
export class DepositCountdown {
  readonly until = input.required<string>();
  private readonly now = signal(Date.now());
  protected readonly over = computed(() => Date.parse(this.until()) <= this.now());
  protected readonly text = computed(() => {
    const ms = Date.parse(this.until()) - this.now();
    if (Number.isNaN(ms)) return '';
    return ms <= 0 ? $localize`:a deposit's payment window has passed:Expired` : $localize`:time left to pay a deposit in minutes and seconds, e.g. 14 min 59 s left:${timeLeft(ms)}:time: left`;
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
