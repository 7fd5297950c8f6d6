#!/usr/bin/env node
// A dollar-cost-averaging bot on the CryptoVault API (README.md): buys DCA_USD_AMOUNT dollars of DCA_SYMBOL once every
// DCA_INTERVAL_MS with a trade-scoped API key, and logs its fills as the signed webhooks bring them. JSON lines on stdout.
import { createClient } from '@cryptovault/client';
import { runSchedule } from './bot.js';
import { ConfigError, describe, loadConfig } from './config.js';
import { log } from './log.js';
import { startWebhookServer } from './webhook-server.js';

/** @typedef {import('./webhook-server.js').WebhookServer} WebhookServer */

async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    log('error', 'bad configuration', { problems: e.problems });
    return 2;
  }
  const client = createClient({ baseUrl: config.baseUrl, keyId: config.keyId, privateKey: config.privateKeyPem });

  const stop = new AbortController();
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    if (stop.signal.aborted) return;
    log('info', 'stopping', { signal });
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  /** Orders this run placed whose fill webhook has not come yet (by order id). */
  const awaitingFill = new Set();
  /** Resolves when awaitingFill empties. */
  let filled = () => {};

  /** @type {WebhookServer | undefined} */
  let server;
  if (config.webhook) {
    server = await startWebhookServer({
      ...config.webhook,
      onEvent: (event) => {
        switch (event.type) {
          case 'order.filled': {
            const o = event.data;
            log('info', 'fill', {
              eventId: event.id,
              orderId: o.id,
              symbol: o.symbol,
              side: o.side,
              quantity: o.quantity,
              quoteAmount: o.quoteAmount,
              fee: o.fee,
              filledPrice: o.filledPrice,
              filledAt: o.filledAt,
            });
            awaitingFill.delete(o.id);
            if (awaitingFill.size === 0) filled();
            break;
          }
          case 'order.cancelled':
            log('info', 'order cancelled', { eventId: event.id, orderId: event.data.id, status: event.data.status });
            awaitingFill.delete(event.data.id);
            if (awaitingFill.size === 0) filled();
            break;
          default:
            log('info', 'event', { eventId: event.id, type: event.type });
        }
      },
    });
    log('info', 'webhook server listening', { host: config.webhook.host, port: server.port });
  } else {
    log('warn', 'no WEBHOOK_SECRET: not listening for webhooks');
  }
  log('info', 'started', describe(config));

  let code = 0;
  try {
    const runs = await runSchedule(client, config, stop.signal, (order) => {
      if (server && order.status === 'filled') awaitingFill.add(order.id);
    });
    // The last period's fill may still be on its way: wait for the webhooks of this run's orders (DCA_DRAIN_MS at most).
    if (server && awaitingFill.size > 0 && !stop.signal.aborted) {
      log('info', 'waiting for fill webhooks', { orders: [...awaitingFill] });
      const drained = new Promise((resolve) => (filled = () => resolve(undefined)));
      const timeout = new Promise((resolve) => setTimeout(resolve, config.drainMs).unref());
      const stopped = new Promise((resolve) => stop.signal.addEventListener('abort', () => resolve(undefined)));
      await Promise.race([drained, timeout, stopped]);
      if (awaitingFill.size > 0) log('warn', 'fill webhooks not received', { orders: [...awaitingFill] });
    }
    log('info', 'done', { runs });
  } catch (e) {
    log('error', 'stopped on an error', { error: e instanceof Error ? e.message : String(e) });
    code = 1;
  }
  await server?.close();
  log('info', 'stopped', { exitCode: code });
  return code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log('error', 'crashed', { error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  },
);
