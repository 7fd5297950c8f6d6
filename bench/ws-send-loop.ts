/**
 * The fan-out's send loop alone (not a test): the same clients as bench/ws-fanout.ts on two bare
 * `ws` servers that do nothing but broadcast a 20-asset price_update once a second, one with
 * `ws.send()` to each client, the other with the /ws/prices gateway's own sending code (one frame
 * built per tick and written as is to every socket, slow sockets skipped, a yield to the event
 * loop every 15 ms). bench/ws-fanout.ts compares the whole application with the first; this
 * separates what the sending costs from what the rest of a running application costs.
 * With IN_APP=1 (the default) two more servers take their turn: the same gateway loop preloaded
 * into a running CryptoVault (`node -r bench/dist/bench/support/send-loop-server.js`, its own port,
 * its own clients) and that CryptoVault's /ws/prices, so that what the application's process does
 * to the same sending shows apart from the sending itself.
 * Rounds alternate between the servers; medians of the rounds.
 *
 *   npm run bench:build && node bench/dist/bench/ws-send-loop.js
 *   env: CLIENTS (5000), SECONDS (8: each window), ROUNDS (3), IN_APP (1), PIN_CPUS (1: servers and clients on separate CPUs), BENCH_DATABASE_URL / BENCH_PGLITE (as in
 *        ws-fanout), BENCH_JSON (a file for the figures, read by bench/run-all.mjs)
 */
import { join } from 'node:path';
import { freePort } from '../e2e/support/app';
import { median, percentile, runScript, splitCpus, startBaseline, startWsBenchApp, stopChild, writeBenchJson } from './support/bench-util';
import { fanOut } from './support/ws-clients';

const CLIENTS = Number(process.env.CLIENTS ?? 5_000);
const SECONDS = Number(process.env.SECONDS ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const IN_APP = process.env.IN_APP !== '0';

interface Round {
  p50: number;
  p99: number;
  cpuPerTickMs: number;
  connected: number;
}

async function main(): Promise<void> {
  const cpus = splitCpus();
  const bare = await Promise.all(['ws-send', 'gateway'].map((mode) => startBaseline('send-loop-server', { MODE: mode })));
  for (const b of bare) cpus?.pinServer(b.child.pid!);
  const servers = [
    { name: 'ws.send() to each client', mode: 'ws-send', url: `ws://127.0.0.1:${bare[0].port}`, pid: bare[0].child.pid!, rounds: [] as Round[] },
    {
      name: "the gateway's sending (frame once, write, yield)",
      mode: 'gateway',
      url: `ws://127.0.0.1:${bare[1].port}`,
      pid: bare[1].child.pid!,
      rounds: [] as Round[],
    },
  ];
  let inApp: Awaited<ReturnType<typeof startWsBenchApp>> | undefined;
  try {
    if (IN_APP) {
      const loopPort = await freePort();
      process.env.CV_APP_NODE_ARGS = `${process.env.CV_APP_NODE_ARGS ?? ''} -r ${join(__dirname, 'support', 'send-loop-server.js')}`;
      inApp = await startWsBenchApp({ MODE: 'gateway', SEND_LOOP_PORT: String(loopPort) });
      const pid = inApp.app.process.pid!;
      cpus?.pinServer(pid);
      servers.push(
        { name: 'the same gateway loop, preloaded into the CryptoVault process', mode: 'gateway-in-app', url: `ws://127.0.0.1:${loopPort}`, pid, rounds: [] },
        { name: "that CryptoVault's /ws/prices", mode: 'app', url: `${inApp.app.url.replace('http', 'ws')}/ws/prices`, pid, rounds: [] },
      );
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of servers) {
        const r = await fanOut(s.url, s.pid, CLIENTS, SECONDS);
        s.rounds.push({ p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), cpuPerTickMs: r.cpuPerTickMs, connected: r.connected });
      }
      process.stderr.write(
        `round ${round + 1}: ${servers.map((s) => `${s.mode} p99 ${s.rounds[round].p99} ms, ${s.rounds[round].cpuPerTickMs.toFixed(0)} ms CPU/tick`).join('; ')}\n`,
      );
    }
  } finally {
    for (const b of bare) await stopChild(b.child);
    if (inApp) {
      await inApp.app.stop();
      await inApp.db.drop();
    }
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
  const [send, gw, gwInApp, app] = med;
  const lines = [
    `clients ${CLIENTS}, window ${SECONDS} s, ${ROUNDS} rounds alternating, ${cpus ? `servers on CPU ${cpus.servers}, clients on CPU ${cpus.load}` : 'CPUs shared'}, node ${process.version}`,
    '',
    '| send loop (median of rounds) | connected | p50 | p99 | p99 by round | server CPU per tick |',
    '|---|---|---|---|---|---|',
    ...med.map(
      (m) =>
        `| ${m.name} | ${m.connected}/${CLIENTS} | ${m.p50} ms | ${m.p99} ms | ${m.byRound.map((r) => r.p99).join(' / ')} ms | ${m.cpuPerTickMs.toFixed(0)} ms |`,
    ),
    '',
    `gateway ÷ ws.send(): p99 ${(gw.p99 / Math.max(1, send.p99)).toFixed(2)}, CPU per tick ${(gw.cpuPerTickMs / Math.max(1, send.cpuPerTickMs)).toFixed(2)}`,
    ...(gwInApp
      ? [
          `the gateway loop in the CryptoVault process ÷ on its own: p99 ${(gwInApp.p99 / Math.max(1, gw.p99)).toFixed(2)}, CPU per tick ${(gwInApp.cpuPerTickMs / Math.max(1, gw.cpuPerTickMs)).toFixed(2)} ` +
            '(the CPU of that process includes its own work: ticks, candles, metrics)',
        ]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeBenchJson({
    bench: 'ws-send-loop',
    cpus: cpus ? { servers: cpus.servers, load: cpus.load } : null,
    clients: CLIENTS,
    seconds: SECONDS,
    rounds: ROUNDS,
    wsSend: send,
    gateway: gw,
    gatewayInApp: gwInApp,
    app,
  });
}

runScript(main);
