import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame, writeFrame } from './prices.gateway';

/** A real `ws` server and client: what the client receives when the server writes pre-built frames. */
describe('pre-built text frames', () => {
  let server: Server;
  let wss: WebSocketServer;
  let serverSide: Promise<WebSocket>;
  let client: WebSocket;

  beforeEach(async () => {
    server = createServer();
    wss = new WebSocketServer({ server, perMessageDeflate: false });
    serverSide = new Promise((resolve) => wss.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: false });
    await new Promise((resolve) => client.once('open', resolve));
  });
  afterEach(async () => {
    client.terminate();
    for (const c of wss.clients) c.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  const received = (count: number): Promise<{ text: string; binary: boolean }[]> =>
    new Promise((resolve) => {
      const got: { text: string; binary: boolean }[] = [];
      client.on('message', (data: Buffer, binary: boolean) => {
        got.push({ text: data.toString(), binary });
        if (got.length === count) resolve(got);
      });
    });

  it('arrive as whole text messages at every length encoding (7-bit, 16-bit and 64-bit lengths)', async () => {
    const payloads = [
      '{"a":1}',
      'x'.repeat(125),
      'y'.repeat(126),
      'z'.repeat(65_535),
      'w'.repeat(65_536),
      JSON.stringify({ type: 'price_update', prices: { BTC: { price: '104250.12' } } }),
    ];
    const ws = await serverSide;
    const messages = received(payloads.length);
    for (const p of payloads) writeFrame(ws, textFrame(Buffer.from(p)));
    expect(await messages).toEqual(payloads.map((text) => ({ text, binary: false })));
  });

  it('interleave correctly with messages sent through ws.send, in the order they were written', async () => {
    const ws = await serverSide;
    const messages = received(3);
    ws.send('first');
    writeFrame(ws, textFrame(Buffer.from('second')));
    ws.send('third');
    expect((await messages).map((m) => m.text)).toEqual(['first', 'second', 'third']);
  });

  it('are counted in bufferedAmount like any send, so a slow reader is still detected', async () => {
    const ws = await serverSide;
    client.pause(); // the reader stops reading; the server's socket buffer fills
    const frame = textFrame(Buffer.alloc(1 << 20, 'a'));
    for (let i = 0; i < 16; i++) writeFrame(ws, frame);
    expect(ws.bufferedAmount).toBeGreaterThan(1 << 20);
  });
});
