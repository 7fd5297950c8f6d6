import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterNextRender, effect, inject, input, viewChild } from '@angular/core';
import { AreaSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { PortfolioPointDto } from '../../api/models';
import { chartDate, chartLocalization } from '../../core/ui/chart-format';
import { DisplayFormat } from '../../core/ui/format.pipes';
import { ThemeService } from '../../core/ui/theme.service';

const LINE = { light: '#1d4ed8', dark: '#60a5fa' } as const;
const FILL = { light: 'rgba(29, 78, 216, 0.22)', dark: 'rgba(96, 165, 250, 0.28)' } as const;

/**
 * The portfolio's value over time as an area chart (lightweight-charts, loaded
 * once the dashboard is idle). The canvas says nothing to assistive technology:
 * the page states the range's first and last values in text beside it (the
 * chart's only focusable element is the library's attribution link).
 */
@Component({
  selector: 'cv-value-history-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div #host class="chart"></div>`,
  styles: `
    .chart {
      width: 100%;
      height: 260px;
    }
  `,
})
export class ValueHistoryChart {
  readonly points = input.required<PortfolioPointDto[]>();
  /** Show hours on the time axis (short ranges). */
  readonly intraday = input(false);

  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly theme = inject(ThemeService);
  private readonly format = inject(DisplayFormat);
  private chart: IChartApi | null = null;
  private series: ISeriesApi<'Area'> | null = null;

  constructor() {
    afterNextRender(() => {
      this.chart = createChart(this.host().nativeElement, {
        autoSize: true,
        handleScroll: false,
        handleScale: false,
        // Room above the highest point, so the top label is never cut.
        rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.12, bottom: 0.08 } },
        timeScale: { borderVisible: false, tickMarkFormatter: (t: Time) => this.format.axisDate(chartDate(t), this.intraday()) },
        localization: chartLocalization(this.format),
      });
      this.series = this.chart.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false });
      this.applyTheme();
      this.setData();
    });

    effect(() => this.setData());
    effect(() => {
      this.theme.mode();
      this.applyTheme();
    });
    inject(DestroyRef).onDestroy(() => this.chart?.remove());
  }

  private setData(): void {
    const points = this.points();
    const intraday = this.intraday();
    if (!this.series || !this.chart) return;
    // Floats only to place points on the canvas; every figure shown as text stays a decimal string.
    const data = points
      .map((p) => ({ time: Math.floor(Date.parse(p.timestamp) / 1000) as UTCTimestamp, value: Number(p.value) }))
      .filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value))
      .sort((a, b) => a.time - b.time)
      .filter((p, i, all) => i === 0 || p.time !== all[i - 1].time);
    this.chart.applyOptions({ timeScale: { timeVisible: intraday, secondsVisible: false } });
    this.series.setData(data);
    this.chart.timeScale().fitContent();
  }

  private applyTheme(): void {
    if (!this.chart || !this.series) return;
    const mode = this.theme.mode();
    const grid = mode === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.06)';
    this.chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: getComputedStyle(this.host().nativeElement).color },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    });
    this.series.applyOptions({ lineColor: LINE[mode], topColor: FILL[mode], bottomColor: 'rgba(0,0,0,0)' });
  }
}
