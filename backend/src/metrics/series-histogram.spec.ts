import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram';

type Label = 'method' | 'route' | 'status_class';
const config = {
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by method, route template and status class',
  labelNames: ['method', 'route', 'status_class'] as Label[],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
};

const observations: [Record<Label, string>, number][] = [
  [{ method: 'GET', route: '/api/crypto', status_class: '2xx' }, 0.001],
  [{ method: 'GET', route: '/api/crypto', status_class: '2xx' }, 0.002],
  [{ method: 'GET', route: '/api/crypto', status_class: '2xx' }, 0.0031],
  [{ method: 'GET', route: '/api/crypto', status_class: '2xx' }, 42],
  [{ method: 'POST', route: '/api/orders', status_class: '4xx' }, 0.5],
  [{ method: 'GET', route: 'unmatched', status_class: '4xx' }, 30],
  [{ method: 'GET', route: '/api/crypto', status_class: '2xx' }, 0.25],
];

function both(): { reference: Registry; fast: Registry; histogram: SeriesHistogram<Label> } {
  const reference = new Registry();
  const fast = new Registry();
  const plain = new Histogram({ ...config, registers: [reference] });
  const histogram = new SeriesHistogram({ ...config, registers: [fast] });
  for (const [labels, value] of observations) {
    plain.labels(labels.method, labels.route, labels.status_class).observe(value);
    histogram.series(labels).observe(value);
  }
  return { reference, fast, histogram };
}

describe('SeriesHistogram', () => {
  it('renders exactly the exposition prom-client renders for the same observations', async () => {
    const { reference, fast } = both();
    const text = await fast.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.002",method="GET",route="/api/crypto",status_class="2xx"} 2');
    expect(text).toContain('http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/crypto",status_class="2xx"} 5');
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="/api/orders",status_class="4xx"} 1');
  });

  it('reports the same values as prom-client in the JSON form', async () => {
    const { reference, fast } = both();
    expect(await fast.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
  });

  it('hands out one series per label set, so a caller can keep it', () => {
    const { histogram } = both();
    const labels = { method: 'GET', route: '/api/crypto', status_class: '2xx' };
    expect(histogram.series(labels)).toBe(histogram.series({ ...labels }));
    expect(histogram.series(labels).count).toBe(5);
  });

  it('refuses a label the histogram does not declare', () => {
    const { histogram } = both();
    expect(() => histogram.series({ method: 'GET', path: '/x' } as never)).toThrow(/unknown label path/);
  });

  it('forgets every series on reset', async () => {
    const { histogram, fast } = both();
    histogram.reset();
    expect(await fast.metrics()).not.toContain('_count{');
  });
});
