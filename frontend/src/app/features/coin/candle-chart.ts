import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterNextRender, effect, inject, input, viewChild } from '@angular/core';
import { CandlestickSeries, ColorType, TickMarkType, createChart, type CandlestickData, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from 'lightweight-charts';
import type { CandleDto } from '../../api/models';
import { chartDate, chartLocalization } from '../../core/ui/chart-format';
import { DisplayFormat } from '../../core/ui/format.pipes';
import { ThemeService } from '../../core/ui/theme.service';

function toTime(t: string): UTCTimestamp {
  const ms = Date.parse(t);
  return Math.floor((Number.isNaN(ms) ? Number(t) * 1000 : ms) / 1000) as UTCTimestamp;
}

/** Candles with lightweight-charts; the last candle follows the live price. */
@Component({
  selector: 'cv-candle-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div #host class="chart"></div>`,
  styles: `
    .chart {
      width: 100%;
      height: 360px;
    }
    /* A phone keeps the order ticket below it in view. */
    @media (max-width: 599.98px) {
      .chart {
        height: 240px;
      }
    }
  `,
})
export class CandleChart {
  readonly candles = input.required<CandleDto[]>();
  readonly livePrice = input<string | null>(null);

  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly theme = inject(ThemeService);
  private readonly format = inject(DisplayFormat);
  private chart: IChartApi | null = null;
  private series: ISeriesApi<'Candlestick'> | null = null;
  private last: CandlestickData<UTCTimestamp> | null = null;

  constructor() {
    // The chart is built in a task of its own after the page's first render: on a phone, building it (≈ 100 ms at 4×
    // CPU slowdown) and drawing it (as much again, in the next frame) would otherwise lengthen the task that renders or
    // takes over the page, and the page would answer a tap that much later.
    let destroyed = false;
    afterNextRender(() =>
      setTimeout(() => {
        if (!destroyed) this.create();
      }),
    );
    effect(() => this.setData(this.candles()));
    effect(() => {
      this.theme.mode();
      this.applyTheme();
    });
    effect(() => {
      const p = Number(this.livePrice());
      if (!this.series || !this.last || !Number.isFinite(p) || p <= 0) return;
      this.last = { ...this.last, close: p, high: Math.max(this.last.high, p), low: Math.min(this.last.low, p) };
      this.series.update(this.last);
    });

    inject(DestroyRef).onDestroy(() => {
      destroyed = true;
      this.chart?.remove();
    });
  }

  private create(): void {
    const el = this.host().nativeElement;
    this.chart = createChart(el, {
      autoSize: true,
      rightPriceScale: { scaleMargins: { top: 0.12, bottom: 0.08 } },
      timeScale: { timeVisible: true, secondsVisible: false, tickMarkFormatter: (t: Time, type: TickMarkType) => this.format.axisDate(chartDate(t), type >= TickMarkType.Time) },
      localization: chartLocalization(this.format),
    });
    this.series = this.chart.addSeries(CandlestickSeries, {
      upColor: '#16a34a',
      downColor: '#dc2626',
      borderVisible: false,
      wickUpColor: '#16a34a',
      wickDownColor: '#dc2626',
    });
    this.applyTheme();
    this.setData(this.candles());
  }

  private setData(candles: CandleDto[]): void {
    if (!this.series) return;
    const data = candles
      .map((c) => ({ time: toTime(c.time), open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close) }))
      .sort((a, b) => a.time - b.time)
      .filter((c, i, all) => i === 0 || c.time !== all[i - 1].time);
    this.series.setData(data);
    this.last = data.at(-1) ?? null;
    this.chart?.timeScale().fitContent();
  }

  private applyTheme(): void {
    if (!this.chart) return;
    const style = getComputedStyle(this.host().nativeElement);
    const grid = this.theme.mode() === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.06)';
    this.chart.applyOptions({
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: style.color },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    });
  }
}
