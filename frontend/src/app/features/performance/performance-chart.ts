import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterNextRender, effect, inject, input, viewChild } from '@angular/core';
import { AreaSeries, ColorType, createChart, LineSeries, LineStyle, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { PerformancePointDto } from '../../api/models';
import { addDecimals } from '../../core/ui/decimal';
import { chartDate, chartLocalization } from '../../core/ui/chart-format';
import { DisplayFormat } from '../../core/ui/format.pipes';
import { ThemeService } from '../../core/ui/theme.service';

const VALUE = { light: '#1d4ed8', dark: '#60a5fa' } as const;
const FILL = { light: 'rgba(29, 78, 216, 0.18)', dark: 'rgba(96, 165, 250, 0.24)' } as const;
const MONEY_IN = { light: '#6b7280', dark: '#9ca3af' } as const;

/**
 * The portfolio's value (area) beside the money put in (start value + net flows, dashed line) from the first funding
 * on, so a deposit reads as money in, not as a gain. The canvas says nothing to assistive technology: the page states
 * the same figures in text.
 */
@Component({
  selector: 'cv-performance-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div #host class="chart"></div>`,
  styles: `
    .chart {
      width: 100%;
      height: 280px;
    }
  `,
})
export class PerformanceChart {
  readonly points = input.required<PerformancePointDto[]>();
  readonly startValue = input.required<string>();
  readonly intraday = input(false);

  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly theme = inject(ThemeService);
  private readonly format = inject(DisplayFormat);
  private chart: IChartApi | null = null;
  private value: ISeriesApi<'Area'> | null = null;
  private moneyIn: ISeriesApi<'Line'> | null = null;

  constructor() {
    afterNextRender(() => {
      this.chart = createChart(this.host().nativeElement, {
        autoSize: true,
        handleScroll: false,
        handleScale: false,
        rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.12, bottom: 0.08 } },
        timeScale: { borderVisible: false, tickMarkFormatter: (t: Time) => this.format.axisDate(chartDate(t), this.intraday()) },
        localization: chartLocalization(this.format),
      });
      this.value = this.chart.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false });
      this.moneyIn = this.chart.addSeries(LineSeries, { lineWidth: 2, lineStyle: LineStyle.Dashed, priceLineVisible: false, lastValueVisible: false });
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
    const start = this.startValue();
    const intraday = this.intraday();
    if (!this.chart || !this.value || !this.moneyIn) return;
    // Floats only to place points on the canvas; every figure shown as text stays a decimal string.
    const rows = points
      .map((p) => ({ time: Math.floor(Date.parse(p.at) / 1000) as UTCTimestamp, value: Number(p.value), moneyIn: Number(addDecimals(start, p.netFlows)) }))
      .filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value) && Number.isFinite(p.moneyIn))
      .sort((a, b) => a.time - b.time)
      .filter((p, i, all) => i === 0 || p.time !== all[i - 1].time);
    this.chart.applyOptions({ timeScale: { timeVisible: intraday, secondsVisible: false } });
    this.value.setData(rows.map((r) => ({ time: r.time, value: r.value })));
    this.moneyIn.setData(rows.map((r) => ({ time: r.time, value: r.moneyIn })));
    this.chart.timeScale().fitContent();
  }

  private applyTheme(): void {
    if (!this.chart || !this.value || !this.moneyIn) return;
    const mode = this.theme.mode();
    const grid = mode === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.06)';
    this.chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: getComputedStyle(this.host().nativeElement).color },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    });
    this.value.applyOptions({ lineColor: VALUE[mode], topColor: FILL[mode], bottomColor: 'rgba(0,0,0,0)' });
    this.moneyIn.applyOptions({ color: MONEY_IN[mode] });
  }
}
