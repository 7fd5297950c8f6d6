import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { DisplayFormat, PctPipe, ValuePipe } from '../../core/ui/format.pipes';
import type { AllocationSlice } from './dashboard.store';

/** Mid-tone colours that stand out on both the light and the dark surface. */
const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#e11d48', '#8b5cf6', '#06b6d4', '#f97316'];
const CASH = '#64748b';
const OTHER = '#a8a29e';

interface Arc extends AllocationSlice {
  color: string;
  /** Dash length and offset on a circle of pathLength 100 (geometry only). */
  dash: string;
  offset: number;
}

/**
 * Allocation as an SVG donut with a legend table beside it. The table is the
 * accessible equivalent: every slice in text, with the server's percentages.
 */
@Component({
  selector: 'cv-allocation-chart',
  imports: [ValuePipe, PctPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="wrap">
      <svg viewBox="0 0 42 42" class="donut" role="img" [attr.aria-label]="summary()">
        <circle cx="21" cy="21" r="15.915" fill="none" class="track" stroke-width="6" />
        @for (a of arcs(); track a.key) {
          <circle
            cx="21"
            cy="21"
            r="15.915"
            fill="none"
            stroke-width="6"
            pathLength="100"
            [attr.stroke]="a.color"
            [attr.stroke-dasharray]="a.dash"
            [attr.stroke-dashoffset]="a.offset"
            transform="rotate(-90 21 21)"
          />
        }
      </svg>
      <table class="legend" aria-label="Allocation by asset" i18n-aria-label>
        <thead>
          <tr><th i18n scope="col">Asset</th><th i18n scope="col" class="num">Share</th><th i18n scope="col" class="num">Value</th></tr>
        </thead>
        <tbody>
          @for (a of arcs(); track a.key) {
            <tr>
              <th scope="row"><span class="swatch" [style.background]="a.color" aria-hidden="true"></span>{{ a.label }}</th>
              <td class="num">{{ a.percent | pct: false }}</td>
              <td class="num">{{ a.value | value }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .wrap {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 16px;
    }
    .donut {
      width: 160px;
      height: 160px;
      flex: none;
    }
    .track {
      stroke: var(--mat-sys-surface-container-high);
    }
    .legend {
      flex: 1 1 200px;
      border-collapse: collapse;
      th,
      td {
        padding: 4px 6px;
        text-align: left;
        font-weight: normal;
      }
      thead th {
        font: var(--mat-sys-label-medium);
        color: var(--mat-sys-on-surface-variant);
      }
      .num {
        text-align: right;
      }
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
      margin-right: 8px;
    }
  `,
})
export class AllocationChart {
  readonly slices = input.required<AllocationSlice[]>();

  protected readonly arcs = computed<Arc[]>(() => {
    let start = 0;
    let colour = 0;
    return this.slices().map((s) => {
      // Float only for the arc's length on screen; the legend shows s.percent as sent.
      const length = Math.max(0, Math.min(100 - start, Number(s.percent)));
      const color = s.key === 'cash' ? CASH : s.key === 'other' ? OTHER : PALETTE[colour++ % PALETTE.length];
      const arc = { ...s, color, dash: `${length} ${100 - length}`, offset: -start };
      start += length;
      return arc;
    });
  });

  private readonly format = inject(DisplayFormat);
  protected readonly summary = computed(
    () => {
      const slices = this.slices()
        .map((s) => `${s.label} ${this.format.percent(s.percent, false)}`)
        .join(', ');
      return $localize`Allocation: ${slices}:slices:`;
    },
  );
}
