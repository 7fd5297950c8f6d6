import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { cpuMs } from './bench-util';

/**
 * The clients of the WebSocket benchmarks (bench/ws-fanout.ts, bench/ws-send-loop.ts, bench/soak.ts): many
 * sockets in this one process, each timing the price_update frames it receives.
 *
 * Each client is RFC 6455 spoken over a plain TCP socket (handshake, frame header, masked pong and
 * close written here), not a `ws` WebSocket. The 5,000 clients share the machine's two cores with
 * the server they measure, and with `ws` (a Receiver stream, its callbacks and an event per frame)
 * they used about 90 ms of CPU to take in one tick against the server's 60–70 ms to send it: the
 * p99 was then the time this process took to drain a tick, whichever server sent it. Parsing the
 * frames in place from one shared read buffer takes about 38 ms, so the server is what is measured.
 */

const CONNECT_CONCURRENCY = 250;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Every socket's reads land in this one buffer (`onread`); a frame is handled before the next read. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export interface Run {
  connected: number;
  failed: number;
  connectSeconds: number;
  /** Tick latencies while the clients were the only load. */
  latencies: number[];
  /** The server's CPU time (user + system) per tick in that window, ms. */
  cpuPerTickMs: number;
  /** Tick latencies while `during` (HTTP load) ran, after the first window. */
  duringLatencies: number[];
  ticksPerClient: number;
  frameBytes: number;
  sample: string;
}

/** `"type":"price_update"` starts every price_update payload at byte 1: `{"type":"price_update",…`. */
const PRICE_UPDATE = Buffer.from('"type":"price_update"');

/**
 * Milliseconds since the epoch of the ISO-8601 UTC time `YYYY-MM-DDTHH:MM:SS.mmmZ` at `at` in `b`,
 * read from the bytes: the 5,000 clients share one process, and a string per frame for Date.parse
 * is garbage whose collection pauses would land in the latencies of whichever server is measured.
 */
export function isoMillis(b: Buffer, at: number): number {
  const n = (i: number, len: number): number => {
    let v = 0;
    for (let k = at + i; k < at + i + len; k++) v = v * 10 + b[k] - 48;
    return v;
  };
  return Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), n(20, 3));
}

/** A client frame (RFC 6455 §5.3: clients mask what they send) with `opcode` and `payload`. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('control frames carry at most 125 bytes');
  const frame = Buffer.allocUnsafe(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  randomBytes(4).copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i] ^ frame[2 + (i & 3)];
  return frame;
}

/**
 * One WebSocket client of `url` over a TCP socket: resolves with the socket once the server has
 * answered the handshake with 101 and the right Sec-WebSocket-Accept, or with an error. Each text
 * frame is handed to `onText(bytes, start, end)` while `bytes` is still the shared read buffer (or
 * a copy, for a frame split over reads); pings are answered, a close is returned.
 */
export function openClient(url: string, onText: (bytes: Buffer, start: number, end: number) => void): Promise<Socket> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
  return new Promise<Socket>((resolve, reject) => {
    let head = '';
    let open = false;
    /** The start of a frame that the last read cut off, copied out of the shared buffer. */
    let partial: Buffer | null = null;
    const socket = connect({
      host: target.hostname,
      port: Number(target.port),
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number): boolean => {
          if (open) frames(READ_BUFFER.subarray(0, n));
          else handshake(READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`${url}: closed before the handshake ended`)));
    socket.once('connect', () =>
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );

    function handshake(chunk: Buffer): void {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = head.slice(0, end).split('\r\n');
      const acceptLine = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'));
      if (!lines[0].startsWith('HTTP/1.1 101 ') || acceptLine?.slice(acceptLine.indexOf(':') + 1).trim() !== accept) {
        socket.destroy(new Error(`${url}: handshake answered "${lines[0]}"`));
        return;
      }
      open = true;
      socket.removeAllListeners('error').removeAllListeners('close');
      socket.on('error', () => socket.destroy());
      resolve(socket);
      const rest = Buffer.from(head.slice(end + 4), 'latin1');
      head = '';
      if (rest.length) frames(rest);
    }

    function frames(chunk: Buffer): void {
      const b = partial ? Buffer.concat([partial, chunk]) : chunk;
      partial = null;
      let at = 0;
      while (b.length - at >= 2) {
        if ((b[at] & 0x80) === 0 || (b[at] & 0x0f) === 0) {
          // Neither server fragments a message; a fragment here means the stream is not what is measured.
          socket.destroy(new Error(`${url}: unexpected fragmented frame`));
          return;
        }
        const opcode = b[at] & 0x0f;
        let length = b[at + 1] & 0x7f;
        let header = 2;
        if (length === 126) {
          if (b.length - at < 4) break;
          length = b.readUInt16BE(at + 2);
          header = 4;
        } else if (length === 127) {
          if (b.length - at < 10) break;
          length = Number(b.readBigUInt64BE(at + 2));
          header = 10;
        }
        if (b.length - at < header + length) break;
        const start = at + header;
        const end = start + length;
        if (opcode === 0x1) onText(b, start, end);
        else if (opcode === 0x9) socket.write(clientFrame(0xa, b.subarray(start, end)));
        else if (opcode === 0x8) socket.end(clientFrame(0x8, b.subarray(start, Math.min(end, start + 2))));
        at = end;
      }
      if (at < b.length) partial = Buffer.from(b.subarray(at));
    }
  });
}

/**
 * Opens `n` clients of the server `pid`, measures `seconds` of price_update frames, closes them.
 * `during` runs in the measuring window.
 */
export async function fanOut(url: string, pid: number, n: number, seconds: number, during?: () => Promise<void>): Promise<Run> {
  const sockets: Socket[] = [];
  let latencies: number[] = [];
  let measuring = false;
  let received = 0;
  let frameBytes = 0;
  let sample = '';
  let failed = 0;
  const onText = (b: Buffer, start: number, end: number): void => {
    const now = Date.now();
    if (!measuring || b.compare(PRICE_UPDATE, 0, PRICE_UPDATE.length, start + 1, start + 1 + PRICE_UPDATE.length) !== 0) return;
    // Payloads end with `"timestamp":"<24-char ISO>"}`: read it without parsing the whole frame.
    latencies.push(now - isoMillis(b, end - 26));
    received++;
    frameBytes = end - start;
    if (!sample) sample = b.toString('utf8', start, end);
  };
  const t0 = Date.now();
  for (let i = 0; i < n; i += CONNECT_CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_CONCURRENCY, n - i) }, () =>
        openClient(url, onText).then(
          (socket) => void sockets.push(socket),
          () => void failed++,
        ),
      ),
    );
  }
  const connectSeconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1_500)); // let the first full snapshots drain
  measuring = true;
  const cpu0 = cpuMs(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = cpuMs(pid) - cpu0;
  const quiet = latencies.sort((a, b) => a - b);
  const ticksPerClient = received / Math.max(1, sockets.length);
  latencies = [];
  if (during) await during();
  measuring = false;
  for (const socket of sockets) socket.destroy();
  return {
    connected: sockets.length,
    failed,
    connectSeconds,
    latencies: quiet,
    cpuPerTickMs: cpu / Math.max(1, ticksPerClient),
    duringLatencies: latencies.sort((a, b) => a - b),
    ticksPerClient,
    frameBytes,
    sample,
  };
}
