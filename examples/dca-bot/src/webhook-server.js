import { verifyWebhook, WebhookVerificationError } from '@cryptovault/client';
import { createServer } from 'node:http';
import { log } from './log.js';

/** Deliveries are a few KB; anything bigger is not ours. */
const MAX_BODY_BYTES = 256 * 1024;
/** Event ids remembered for de-duplication (the oldest are forgotten first). */
const REMEMBERED_EVENTS = 10_000;

/**
 * @typedef {import('@cryptovault/client').WebhookEvent} WebhookEvent
 * @typedef {{ port: number, close(): Promise<void> }} WebhookServer
 */

/**
 * The HTTP server CryptoVault POSTs the key's events to. Each delivery is verified (CryptoVault-Signature over the raw
 * body with the endpoint's secret, signed within 5 minutes): a bad one is answered 400 and ignored. A verified event is
 * handed to `onEvent` once: a retry or redelivery of an event id already seen is answered 200 and dropped.
 * @param {{ host: string, port: number, secret: string, onEvent: (event: WebhookEvent) => void }} options
 * @returns {Promise<WebhookServer>}
 */
export async function startWebhookServer({ host, port, secret, onEvent }) {
  /** @type {Set<string>} */
  const seen = new Set();

  const server = createServer((req, res) => {
    /** @param {number} status @param {object} body */
    const answer = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return answer(405, { error: 'POST only' });
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooBig) {
        log('warn', 'webhook rejected', { reason: 'BODY_TOO_LARGE' });
        return answer(413, { error: 'body too large' });
      }
      /** @type {WebhookEvent} */
      let event;
      try {
        event = verifyWebhook({ secret, signatureHeader: req.headers['cryptovault-signature'], rawBody: Buffer.concat(chunks) });
      } catch (e) {
        if (!(e instanceof WebhookVerificationError)) throw e;
        log('warn', 'webhook rejected', { reason: e.reason, from: req.socket.remoteAddress });
        return answer(400, { error: e.reason });
      }
      // The body's id is signed; the CryptoVault-Event-Id header carries the same id but is not.
      if (seen.has(event.id)) {
        log('info', 'webhook duplicate ignored', { eventId: event.id, type: event.type });
        return answer(200, { received: true, duplicate: true });
      }
      seen.add(event.id);
      if (seen.size > REMEMBERED_EVENTS) seen.delete(/** @type {string} */ (seen.values().next().value));
      answer(200, { received: true });
      onEvent(event);
    });
    req.on('error', () => res.destroy());
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
