// Counts the async resources (promises, nextTicks, timers, ...) a server creates per HTTP request.
// Preload it into the server and put load on it; it prints the counts per request to stderr at exit.
//
//   node -r ./bench/support/count-async-resources.cjs backend/dist/main.js      (or any server)
//   npx autocannon -c 50 -d 10 http://127.0.0.1:3000/api/crypto; then stop the server (SIGINT/SIGTERM)
//
// The first 1,000 requests (warm-up) are not counted. Enabling an async hook makes every
// resource dearer, so this is for counting, not for timing.
'use strict';
const { createHook } = require('node:async_hooks');
const http = require('node:http');

const WARMUP = 1000;
const counts = new Map();
let requests = 0;
createHook({
  init(_id, type) {
    if (requests > WARMUP) counts.set(type, (counts.get(type) ?? 0) + 1);
  },
}).enable();

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request') requests++;
  return emit.call(this, event, ...args);
};

function report() {
  const counted = requests - WARMUP;
  if (counted <= 0) return;
  const rows = [...counts].filter(([, n]) => n / counted >= 0.01).sort((a, b) => b[1] - a[1]);
  process.stderr.write(`async resources per request, over ${counted} requests:\n${rows.map(([t, n]) => `  ${t} ${(n / counted).toFixed(2)}`).join('\n')}\n`);
}
process.on('exit', report);
