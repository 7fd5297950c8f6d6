#!/usr/bin/env bash
# The before/after figures of the renovation (issue 15, item 0): http-read (public and
# authenticated), ws-fanout and orders, three times each, alternating (http, ws, orders, http, …),
# with the settings of the full `npm run bench` (BENCHES in bench/run-all.mjs). Each run's JSON
# (BENCH_JSON), its output and the load average before and after it go to OUTDIR; at the end the
# table rows for bench/RESULTS.md are printed (bench/renovation-summary.mjs OUTDIR prints them again).
#
#   bench/renovation-runs.sh /tmp/renovation-after      (from the repository root; ~30–40 min)
#
# Needs PostgreSQL, Redis and /usr/bin/pgbench, like `npm run bench`. Builds first (npm run bench:build).
# All three benches run the app on PostgreSQL: ws-fanout and orders make their own scratch
# databases; for http-read this script makes one per run (BENCH_DATABASE_URL) and drops it after,
# so that the authenticated read goes through the connection pool to PostgreSQL, as in production
# (on the embedded PGlite default, PGlite's own work in the app's process is ~1.6 ms of the
# ~1.8 ms of CPU per authenticated read, and hides the guard and the throttler).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?usage: bench/renovation-runs.sh OUTDIR}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RUNS="${RUNS:-3}"

npm run --silent bench:build

ADMIN_URL="${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SCRATCH=""
drop_scratch() { [ -z "$SCRATCH" ] || psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$SCRATCH\" WITH (FORCE)" >/dev/null; SCRATCH=""; }
trap drop_scratch EXIT
trap "exit 143" INT TERM

load1() { cut -d' ' -f1 /proc/loadavg; }

run() { # run <bench> <n> <env…> -- <node argv…>
  local bench="$1" n="$2"
  shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local before t0
  before="$(load1)"
  t0="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "== $t0 $bench run $n (load $before): ${envs[*]} node $*" >&2
  env "${envs[@]}" BENCH_JSON="$OUT/$bench-$n.json" node "$@" >"$OUT/$bench-$n.log" 2>&1 || {
    echo "!! $bench run $n failed; see $OUT/$bench-$n.log" >&2
    tail -20 "$OUT/$bench-$n.log" >&2
  }
  printf '{"start":"%s","end":"%s","loadBefore":%s,"loadAfter":%s,"commit":"%s"}\n' \
    "$t0" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$before" "$(load1)" "$(git rev-parse --short HEAD)" >"$OUT/$bench-$n.meta.json"
}

for n in $(seq 1 "$RUNS"); do
  SCRATCH="cv_bench_read_$(date +%s)_$n"
  psql -q "$ADMIN_URL" -c "CREATE DATABASE \"$SCRATCH\"" >/dev/null
  run http-read "$n" BENCH_DATABASE_URL="${ADMIN_URL%/*}/$SCRATCH" SECONDS=4 ROUNDS=9 WARMUP_SECONDS=2 -- bench/dist/bench/http-read.js
  drop_scratch
  run ws-fanout "$n" CLIENTS=5000 SECONDS=10 HTTP_SECONDS=5 ROUNDS=9 -- bench/dist/bench/ws-fanout.js
  run orders "$n" ORDERS_SECONDS=20 ORDERS_WARMUP_SECONDS=10 PGBENCH_SECONDS=20 -- bench/run-ts.js bench/orders.ts
done

node bench/renovation-summary.mjs "$OUT"
