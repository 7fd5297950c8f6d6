#!/bin/sh
# Runs the built backend as it ships: `npm start`, the container image (docker/backend.Dockerfile) and the start
# benches (bench/cold-start.mjs, npm-start) start it through this file; the other benches and their baseline servers
# take its settings from `run.sh --print-env` (e2e/support/app.ts), so what is measured is what runs. A value already
# in the environment is kept: an operator's setting wins over every default here.
# Why each one, with the measurements: docs/CAPACITY.md, "Memory".
#
# glibc's malloc. One arena per thread that allocates (V8's compiler and GC helpers, libuv's pool) each keeps what was
# freed: two arenas are enough. And its threshold for serving a large block from its own mapping (returned to the
# system when freed) rises, by default, to the largest block freed so far (up to 32 MB), so V8's compiler zones and
# PGlite's start-up buffers end up inside the arenas, where freed memory is never given back: a fixed 128 kB threshold
# (glibc's own starting value) and trimming above 128 kB keep them out: the embedded default's idle RSS a minute after
# a start went from 274 / 267 MB (first / warm start, two arenas alone) to 249 / 229 MB.
: "${MALLOC_ARENA_MAX:=2}"
: "${MALLOC_MMAP_THRESHOLD_:=131072}"
: "${MALLOC_TRIM_THRESHOLD_:=131072}"
export MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_
# V8's old generation: HEAP_LIMIT_MB (512) caps it. Without a cap V8 sizes it from the machine's memory (4 GB on a
# 16 GB machine or larger) and, the larger the limit, the more garbage it lets pile up between full collections:
# 5,000 reconnecting sockets grew the app by 142 MB against the bare `ws` server's 60 MB; with the cap, by 24–32 MB. The live heap at one unit of the soak (5,500 sockets, 100 orders/s) is far below the
# cap; an instance is given 1 GB (docs/CAPACITY.md). A --max-old-space-size in NODE_OPTIONS comes later and wins.
NODE_OPTIONS="--max-old-space-size=${HEAP_LIMIT_MB:-512}${NODE_OPTIONS:+ $NODE_OPTIONS}"
export NODE_OPTIONS
# `run.sh --print-env`: these settings, one per line (the benches start their baseline servers with them too).
if [ "${1:-}" = "--print-env" ]; then
  printf 'MALLOC_ARENA_MAX=%s\nMALLOC_MMAP_THRESHOLD_=%s\nMALLOC_TRIM_THRESHOLD_=%s\nNODE_OPTIONS=%s\n' \
    "$MALLOC_ARENA_MAX" "$MALLOC_MMAP_THRESHOLD_" "$MALLOC_TRIM_THRESHOLD_" "$NODE_OPTIONS"
  exit 0
fi
exec node "$(dirname "$0")/../dist/main.js" "$@"
