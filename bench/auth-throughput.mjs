// Auth throughput: logins/s and signups/s against a started app (bcrypt-bound by design).
//
//   npm run build && node bench/auth-throughput.mjs [--duration 10] [--connections 8]
//
// Starts backend/dist/main.js on a free port with BCRYPT_COST=12 (the production
// cost), the embedded PGlite database in a temp DATA_DIR (or BENCH_DATABASE_URL),
// in-process cache, and rate limits scaled out of the way; then runs autocannon
// against POST /api/auth/login (one verified account) and POST /api/auth/signup
// (a new address per request). Prints a Markdown table for bench/RESULTS.md;
// with BENCH_JSON set, also writes the figures to that file (read by bench/run-all.mjs).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const duration = Math.min(opt('duration', 10), 15);
const connections = opt('connections', 8);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const port = await new Promise((resolve) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'cv-bench-'));
const env = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'test',
  PORT: String(port),
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  JWT_SECRET: randomBytes(32).toString('hex'),
  ADMIN_SETUP_TOKEN: randomBytes(16).toString('hex'),
  BCRYPT_COST: '12',
  RATE_LIMIT_SCALE: '1000000',
  LOG_LEVEL: 'error',
};
const child = spawn(process.execPath, [join(root, 'backend', 'dist', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${port}`;

async function waitHealthy() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('app not healthy within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function post(path, body) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function verifiedAccount() {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'Bench-Throughput-42';
  await post('/api/auth/signup', { email, password, name: 'Bench' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const dir = join(dataDir, 'outbox');
    let files = [];
    try {
      files = readdirSync(dir);
    } catch {
      /* not yet */
    }
    for (const f of files) {
      const mail = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (mail.to === email) {
        await post('/api/auth/verify-email', { email, code: /\b(\d{6})\b/.exec(mail.text)[1] });
        return { email, password };
      }
    }
    if (Date.now() > deadline) throw new Error('no verification mail');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(title, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, ...opts }, (err, result) => (err ? reject(err) : resolve({ title, result })));
  });
}

try {
  await waitHealthy();
  const account = await verifiedAccount();
  let n = 0;
  const results = [];
  results.push(
    await run('login (POST /api/auth/login, one verified account)', {
      url: `${url}/api/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    }),
  );
  results.push(
    await run('signup (POST /api/auth/signup, a new address each)', {
      requests: [
        {
          method: 'POST',
          path: '/api/auth/signup',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ email: `b${n++}-${randomBytes(3).toString('hex')}@example.com`, password: 'Bench-Signup-42', name: 'Bench' }),
          }),
        },
      ],
    }),
  );
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\n${cpus().length} × ${cpu}, Node ${process.version}, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'}, BCRYPT_COST=12, ${connections} connections, ${duration} s each\n`,
  );
  console.log('| scenario | requests/s (mean) | p50 latency ms | p99 latency ms | 2xx | non-2xx (status×count) |');
  console.log('|---|---|---|---|---|---|');
  for (const { title, result } of results) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, { count }]) => `${code}×${count}`)
      .join(' ');
    console.log(
      `| ${title} | ${result.requests.average.toFixed(1)} | ${result.latency.p50} | ${result.latency.p99} | ${result['2xx']} | ${result.non2xx} (${codes || 'none'}) |`,
    );
  }
  if (process.env.BENCH_JSON) {
    const figures = ({ result }) => ({
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok: result['2xx'],
      non2xx: result.non2xx,
    });
    const [login, signup] = results.map(figures);
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ bench: 'auth-throughput', duration, connections, login, signup }, null, 2)}\n`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
