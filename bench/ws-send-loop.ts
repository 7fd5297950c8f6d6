/**
 * The fan-out's send loop alone (not a test): the same clients as bench/ws-fanout.ts on two bare
 * `ws` servers that do nothing but broadcast a 20-asset price_update once a second, one with
 * `ws.send()` to each client, the other with the /ws/prices gateway's own sending code (one frame
 * built per tick and written as is to every socket, slow sockets skipped, a yield to the event
 * loop every 15 ms). bench/ws-fanout.ts compares the whole application with the first; this
 * separates what the sending costs from what the rest of a running application costs.
 * Rounds alternate between the two servers; medians of the rounds.
 *
 *   npm run bench:build && node bench/dist/bench/ws-send-loop.js
 *   env: CLIENTS (5000), SECONDS (8: each window), ROUNDS (3), BENCH_JSON (a file for the figures, read by bench/run-all.mjs)
 */
import { median, percentile, runScript, startBaseline, stopChild, writeBenchJson } from './support/bench-util';
import { fanOut } from './support/ws-clients';

const CLIENTS = Number(process.env.CLIENTS ?? 5_000);
const SECONDS = Number(process.env.SECONDS ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Round {
  p50: number;
  p99: number;
  cpuPerTickMs: number;
  connected: number;
}


async function main(): Promise<void> {
  const servers = [
    { name: 'ws.send() to each client', mode: 'ws-send', rounds: [] as Round[] },
    { name: "the gateway's sending (frame once, write, yield)", mode: 'gateway', rounds: [] as Round[] },
  ];
  const running = await Promise.all(servers.map((s) => startBaseline('send-loop-server', { MODE: s.mode })));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, s] of servers.entries()) {
        const r = await fanOut(`ws://127.0.0.1:${running[i].port}`, running[i].child.pid!, CLIENTS, SECONDS);
        s.rounds.push({ p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), cpuPerTickMs: r.cpuPerTickMs, connected: r.connected });
      }
      process.stderr.write(`round ${round + 1}: ${servers.map((s) => `${s.mode} p99 ${s.rounds[round].p99} ms, ${s.rounds[round].cpuPerTickMs.toFixed(0)} ms CPU/tick`).join('; ')}\n`);
    }
  } finally {
    for (const r of running) await stopChild(r.child);
  }
  const med = servers.map((s) => ({
    name: s.name,
    mode: s.mode,
    connected: Math.min(...s.rounds.map((r) => r.connected)),
    p50: median(s.rounds.map((r) => r.p50)),
    p99: median(s.rounds.map((r) => r.p99)),
    cpuPerTickMs: median(s.rounds.map((r) => r.cpuPerTickMs)),
    byRound: s.rounds,
  }));
  const [send, gw] = med;
  const lines = [
    `clients ${CLIENTS}, window ${SECONDS} s, ${ROUNDS} rounds alternating, node ${process.version}`,
    '',
    '| send loop (median of rounds) | connected | p50 | p99 | p99 by round | server CPU per tick |',
    '|---|---|---|---|---|---|',
    ...med.map((m) => `| ${m.name} | ${m.connected}/${CLIENTS} | ${m.p50} ms | ${m.p99} ms | ${m.byRound.map((r) => r.p99).join(' / ')} ms | ${m.cpuPerTickMs.toFixed(0)} ms |`),
    '',
    `gateway ÷ ws.send(): p99 ${(gw.p99 / Math.max(1, send.p99)).toFixed(2)}, CPU per tick ${(gw.cpuPerTickMs / Math.max(1, send.cpuPerTickMs)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeBenchJson({ bench: 'ws-send-loop', clients: CLIENTS, seconds: SECONDS, rounds: ROUNDS, wsSend: send, gateway: gw });
}

runScript(main);
