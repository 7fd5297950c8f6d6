import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * What shows while a page or a list loads: grey shapes the size of what will replace them, so nothing jumps when the
 * data arrives, and "Loading…" for screen readers (a polite status). Shapes:
 * - `rows`: table rows (`count` of them, a row's height each; inside a table's body cell it fills the row);
 * - `lines`: lines of text of varied lengths;
 * - `stats`: the stat cards of a page's summary (`count` cards in the shared `.cards` grid);
 * - `block`: one panel `height` px tall (a chart, a form).
 * The shimmer stops for people who ask for reduced motion.
 */
@Component({
  selector: 'cv-skeleton',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status', class: 'cv-skeleton', '[attr.data-shape]': 'shape()' },
  template: `
    <span class="visually-hidden" i18n>Loading…</span>
    @switch (shape()) {
      @case ('stats') {
        <span class="cards" aria-hidden="true">
          @for (w of widths(); track $index) {
            <span class="stat"><span class="bone label"></span><span class="bone value" [style.width]="w"></span></span>
          }
        </span>
      }
      @case ('block') {
        <span class="bone" aria-hidden="true" [style.height.px]="height()"></span>
      }
      @default {
        @for (w of widths(); track $index) {
          <span class="bone" aria-hidden="true" [style.width]="w"></span>
        }
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 4px 0;
    }
    :host([data-shape='rows']) {
      gap: 0;
      .bone {
        height: 20px;
        margin: 8px 0;
        width: 100% !important;
      }
    }
    .bone {
      display: block;
      height: 14px;
      border-radius: 6px;
      background: linear-gradient(
        90deg,
        var(--mat-sys-surface-container-high) 0%,
        var(--mat-sys-surface-container-highest) 50%,
        var(--mat-sys-surface-container-high) 100%
      );
      background-size: 200% 100%;
      animation: cv-shimmer 1.4s ease-in-out infinite;
    }
    .cards {
      margin: 0;
    }
    .stat {
      display: flex;
      flex-direction: column;
      gap: 10px;
      min-height: 52px;
      .label {
        width: 40%;
        height: 12px;
      }
      .value {
        height: 22px;
      }
    }
    @keyframes cv-shimmer {
      from {
        background-position: 100% 0;
      }
      to {
        background-position: -100% 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .bone {
        animation: none;
      }
    }
  `,
})
export class Skeleton {
  readonly shape = input<'rows' | 'lines' | 'stats' | 'block'>('rows');
  /** Rows, lines or stat cards. */
  readonly count = input(3);
  /** The block's height in px. */
  readonly height = input(240);

  /** Lengths that vary as text does (the same on every render: no flicker). */
  protected readonly widths = computed(() => {
    const lengths = ['92%', '76%', '84%', '64%', '88%', '70%'];
    return Array.from({ length: Math.max(1, this.count()) }, (_, i) => (this.shape() === 'stats' ? ['60%', '45%', '55%'][i % 3]! : lengths[i % lengths.length]!));
  });
}
