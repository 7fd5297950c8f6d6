// Prints the rows of the "Renovation (issue 15)" tables in bench/RESULTS.md from the JSON files
// bench/renovation-runs.sh wrote to DIR (<bench>-<n>.json and <bench>-<n>.meta.json).
//
//   node bench/renovation-summary.mjs /tmp/renovation-before
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/renovation-summary.mjs DIR');

const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : undefined);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (n, d = 0) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : '—');

/** Each figure: its bench, and from a run's JSON the CryptoVault value, the baseline, the paired ratio. */
const FIGURES = [
  {
    name: 'http-read public: `GET /api/crypto` req/s ÷ bare Express 5',
    bench: 'http-read',
    unit: 'req/s',
    pick: (r) => [r.cryptovault.rps, r.express.rps, r.expressPairedRatio, r.cryptovault.non2xx, r.cryptovault.cpuUs, r.express.cpuUs],
    digits: 0,
  },
  {
    name: 'http-read authenticated: `GET /api/wallet/balance` (Bearer) req/s ÷ bare Express 5',
    bench: 'http-read',
    unit: 'req/s',
    pick: (r) =>
      r.authenticated
        ? [
            r.authenticated.cryptovault.rps,
            r.authenticated.express.rps,
            r.authenticated.expressPairedRatio,
            r.authenticated.cryptovault.non2xx,
            r.authenticated.cryptovault.cpuUs,
            r.authenticated.express.cpuUs,
          ]
        : undefined,
    digits: 0,
  },
  {
    name: 'ws-fanout: `/ws/prices` p99 ms, 5,000 clients ÷ bare `ws` (lower is better)',
    bench: 'ws-fanout',
    unit: 'ms',
    pick: (r) => [r.cryptovault.p99, r.bareWs.p99, r.pairedP99Ratio, r.clients - r.cryptovault.connected],
    digits: 0,
  },
  {
    name: 'orders: market orders/s over HTTP ÷ pgbench TPS',
    bench: 'orders',
    unit: 'orders/s',
    baseUnit: 'TPS',
    pick: (r) => [r.orders.rps, r.pgbench.mean, r.ratio, r.orders.reconcile === 'clean' ? 0 : r.orders.reconcile],
    digits: 1,
  },
];

const out = [];
for (const fig of FIGURES) {
  out.push(
    '',
    `**${fig.name}**`,
    '',
    '| run | start (UTC) | CryptoVault | baseline | paired ratio | load 1-min before → after | note |',
    '|---|---|---|---|---|---|---|',
  );
  const rows = [];
  for (let n = 1; ; n++) {
    const meta = read(`${fig.bench}-${n}.meta.json`);
    if (!meta) break;
    const r = read(`${fig.bench}-${n}.json`);
    const v = r && fig.pick(r);
    if (!v) {
      out.push(`| ${n} | ${meta.start.slice(0, 16).replace('T', ' ')} | failed | | | ${meta.loadBefore} → ${meta.loadAfter} | see ${fig.bench}-${n}.log |`);
      continue;
    }
    rows.push(v);
    const note =
      fig.bench === 'orders'
        ? v[3] === 0
          ? 'reconcile clean'
          : `reconcile ${v[3]}`
        : fig.bench === 'ws-fanout'
          ? v[3]
            ? `${v[3]} clients not connected`
            : ''
          : `CPU/req ${f(v[4])} µs vs ${f(v[5])} µs${v[3] ? `; **${v[3]} non-2xx**` : ''}`;
    out.push(
      `| ${n} | ${meta.start.slice(0, 16).replace('T', ' ')} | ${f(v[0], fig.digits)} ${fig.unit} | ${f(v[1], fig.digits)} ${fig.baseUnit ?? fig.unit} | ${f(v[2], 2)} | ${meta.loadBefore} → ${meta.loadAfter} | ${note} |`,
    );
  }
  if (rows.length) {
    const col = (i) => rows.map((v) => v[i]);
    const spread = (i, d) => `${f(Math.min(...col(i)), d)}–${f(Math.max(...col(i)), d)}`;
    out.push(
      `| **median** (min–max) | | **${f(median(col(0)), fig.digits)}** (${spread(0, fig.digits)}) | ${f(median(col(1)), fig.digits)} (${spread(1, fig.digits)}) | **${f(median(col(2)), 2)}** (${spread(2, 2)}) | | |`,
    );
  }
}
process.stdout.write(`${out.join('\n')}\n`);
