import { createServer } from 'node:http';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * One server of bench/ws-send-loop.ts: a bare `ws` server broadcasting a price_update of 20
 * assets once a second to every client, and nothing else, in one of two ways:
 * - `ws-send`: `ws.send()` to each client (ws frames the message for each one);
 * - `gateway`: the /ws/prices gateway's way, with its own code (backend/dist): the frame is built
 *   once (`textFrame`), written as is to each socket (`writeFrame`), slow sockets are skipped,
 *   and the loop yields to the event loop as the gateway's does (`SendSlices`).
 * Run on its own (a child of bench/ws-send-loop.ts, port PORT), or preloaded into the
 * application's process (`node -r <this file> backend/dist/main.js`, port SEND_LOOP_PORT), to
 * see what the same loop costs there.
 */
interface GatewaySending {
  textFrame(payload: Buffer): Buffer;
  writeFrame(ws: WebSocket, frame: Buffer): void;
  SendSlices: new () => { due(): boolean; yield(): Promise<void> };
}
const gateway = require(join(__dirname, '..', '..', '..', '..', 'backend', 'dist', 'prices', 'stream', 'prices.gateway.js')) as GatewaySending;

const MODE = process.env.MODE;
const PRELOADED = require.main !== module;
const PORT = Number(PRELOADED ? process.env.SEND_LOOP_PORT : process.env.PORT);
const MAX_BUFFERED = 1 << 20;
const SYMBOLS = 'BTC ETH USDT BNB SOL XRP USDC ADA DOGE TRX AVAX DOT LINK MATIC TON SHIB LTC BCH UNI XLM'.split(' ');

function payload(): Buffer {
  const now = new Date().toISOString();
  const prices: Record<string, { price: string; change24h: string; timestamp: string; source: string }> = {};
  for (const [i, s] of SYMBOLS.entries()) prices[s] = { price: `${1000 + 37 * i}.12345678`, change24h: `-${i % 10}.1234`, timestamp: now, source: 'simulated' };
  return Buffer.from(JSON.stringify({ type: 'price_update', prices, timestamp: now }));
}

async function gatewayLoop(clients: Set<WebSocket>, frame: Buffer): Promise<void> {
  const slices = new gateway.SendSlices();
  for (const ws of clients) {
    if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED) continue;
    gateway.writeFrame(ws, frame);
    if (slices.due()) await slices.yield();
  }
}

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
let busy = false;
const timer = setInterval(() => {
  if (MODE === 'gateway') {
    if (busy) return;
    busy = true;
    void gatewayLoop(wss.clients, gateway.textFrame(payload())).finally(() => (busy = false));
  } else {
    const data = payload();
    for (const ws of wss.clients) ws.send(data, { binary: false });
  }
}, 1_000);
if (PRELOADED) timer.unref();
server.listen(PORT, '127.0.0.1', () => {
  if (!PRELOADED) process.send?.('ready');
});
// Preloaded, the application's own shutdown handles the signal; the loop's timer must not keep it alive.
if (PRELOADED) server.unref();
else process.on('SIGTERM', () => process.exit(0));
