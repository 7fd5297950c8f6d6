import { rssMb } from './bench-util';

/**
 * What the soak reads of a running instance every sample: its RSS (/proc) and its event-loop lag
 * from its own `/metrics` (prom-client's default metrics, which the app registers:
 * `nodejs_eventloop_lag_p99_seconds` and `_min_seconds`, over the samples since the previous
 * scrape — the histogram is reset at each scrape, and the bench is the only scraper).
 *
 * The app samples the loop every 100 ms (EVENT_LOOP_SAMPLE_MS in metrics.service.ts) with
 * `monitorEventLoopDelay`, which records the whole interval between two samples, not the delay
 * beyond it: an idle process reads ≈ 0.100 s. The lag is therefore p99 − min (the min being the
 * sampling interval plus a fraction of a millisecond), which holds whatever the interval is.
 */
export interface ProbeSample {
  /** Seconds since the soak's load started. */
  t: number;
  rssMb: number;
  /** p99 of the event-loop lag over the window since the previous sample, ms (NaN when /metrics did not answer). */
  lagP99Ms: number;
  lagMaxMs: number;
  /** Open sockets on this instance (`cryptovault_ws_connections`), by endpoint. */
  sockets: { prices: number; user: number };
}

function metric(text: string, name: string, labels = '(?:\\{[^}]*\\})?'): number {
  const m = new RegExp(`^${name}${labels} ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Scrapes `/metrics` directly at the instance (loopback, no forwarding header: what MetricsAccessGuard lets in). */
export async function probe(appUrl: string, pid: number, t: number): Promise<ProbeSample> {
  const rss = rssMb(pid);
  try {
    const res = await fetch(`${appUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    const min = metric(text, 'nodejs_eventloop_lag_min_seconds');
    return {
      t,
      rssMb: rss,
      lagP99Ms: (metric(text, 'nodejs_eventloop_lag_p99_seconds') - min) * 1000,
      lagMaxMs: (metric(text, 'nodejs_eventloop_lag_max_seconds') - min) * 1000,
      sockets: {
        prices: metric(text, 'cryptovault_ws_connections', '\\{endpoint="/ws/prices"\\}'),
        user: metric(text, 'cryptovault_ws_connections', '\\{endpoint="/ws/user"\\}'),
      },
    };
  } catch {
    return { t, rssMb: rss, lagP99Ms: NaN, lagMaxMs: NaN, sockets: { prices: NaN, user: NaN } };
  }
}

/**
 * Growth of RSS over the samples from `fromT` on: the least-squares line through them, from its
 * value at the first of those samples to its value at the last, relative to the first (a leak is a
 * trend; one GC-timed sample is not).
 */
export function rssTrendGrowth(samples: ProbeSample[], fromT: number): { growth: number; from: number; to: number; n: number } {
  const xs = samples.filter((s) => s.t >= fromT && Number.isFinite(s.rssMb));
  if (xs.length < 2) return { growth: NaN, from: NaN, to: NaN, n: xs.length };
  const n = xs.length;
  const mt = xs.reduce((a, s) => a + s.t, 0) / n;
  const mr = xs.reduce((a, s) => a + s.rssMb, 0) / n;
  const cov = xs.reduce((a, s) => a + (s.t - mt) * (s.rssMb - mr), 0);
  const vt = xs.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  const slope = vt ? cov / vt : 0;
  const from = mr + slope * (xs[0].t - mt);
  const to = mr + slope * (xs[n - 1].t - mt);
  return { growth: (to - from) / from, from, to, n };
}
