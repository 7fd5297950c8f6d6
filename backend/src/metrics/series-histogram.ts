import { Histogram, type HistogramConfiguration, type LabelValues, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';

/** One labelled series of a SeriesHistogram: observing is a bucket search and three additions, nothing allocated. */
export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string | number>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<string, string | number>>;
  value: number;
  metricName: string;
  exemplar?: null;
}

/**
 * A prom-client Histogram for hot paths. prom-client's own `observe` (even on
 * a `labels()` child) builds a labels object, validates it and hashes it to a
 * string on every call; here a caller takes a `HistogramSeries` once per label
 * set (`series()`) and observes on it directly. The exposition is prom-client's,
 * byte for byte (same registry, same bucket/sum/count lines), built from the
 * series at scrape time.
 */
export class SeriesHistogram<T extends string> extends Histogram<T> {
  private readonly bounds: number[];
  private readonly names: ReadonlySet<string>;
  private readonly metricName: string;
  private readonly all = new Map<string, HistogramSeries>();

  constructor(config: HistogramConfiguration<T> & { labelNames: readonly T[]; buckets: number[] }) {
    super(config);
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    this.names = new Set(config.labelNames);
    this.metricName = config.name;
  }

  /** The series for these label values (created on first use); keep it and observe on it. */
  series(labels: LabelValues<T>): HistogramSeries {
    const key = JSON.stringify(labels);
    let s = this.all.get(key);
    if (!s) {
      for (const name of Object.keys(labels)) if (!this.names.has(name)) throw new Error(`unknown label ${name} for ${this.metricName}`);
      this.all.set(key, (s = new HistogramSeries(this.bounds, { ...labels } as Record<string, string | number>)));
    }
    return s;
  }

  override reset(): void {
    super.reset();
    this.all?.clear();
  }

  /** What the registry renders the text exposition from, and `get()` splays (prom-client's form: the label set kept as `sharedLabels`). */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const base = await (
      Histogram.prototype as unknown as { getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> }
    ).getForPromString.call(this);
    return { ...base, values: [...base.values, ...(this.exported() as unknown as MetricValueWithName<T>[])] };
  }

  private exported(): ExportedValue[] {
    const out: ExportedValue[] = [];
    const bucket = `${this.metricName}_bucket`;
    for (const s of this.all.values()) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i];
        out.push({ labels: { le: this.bounds[i] }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: null });
      }
      out.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.metricName}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.metricName}_count` },
      );
    }
    return out;
  }
}
