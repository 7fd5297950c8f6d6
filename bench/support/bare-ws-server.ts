import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * Baseline for bench/ws-fanout.ts: a bare `ws` server broadcasting a frame of
 * the same size as CryptoVault's price_update once a second to every client.
 */
const template = process.env.FRAME_TEMPLATE ?? '{"type":"price_update","prices":{},"timestamp":"%"}';
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
setInterval(() => {
  const frame = Buffer.from(template.replace('%', new Date().toISOString()));
  for (const c of wss.clients) c.send(frame, { binary: false });
}, 1_000);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => process.exit(0));
