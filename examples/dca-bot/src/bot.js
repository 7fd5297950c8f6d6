import { isApiError } from '@cryptovault/client';
import { log } from './log.js';

/**
 * @typedef {import('@cryptovault/client').CryptoVaultClient} CryptoVaultClient
 * @typedef {import('./config.js').Config} Config
 */

/**
 * The period `now` falls in: periods are DCA_INTERVAL_MS long, counted from DCA_ANCHOR (default the Unix epoch, so a
 * daily bot's periods are UTC days). They depend on the clock only, never on when the bot started, so a restart
 * lands in the same period and reuses its idempotency key.
 * @param {number} now
 * @param {Pick<Config, 'anchorMs' | 'intervalMs'>} c
 */
export function periodOf(now, c) {
  const index = Math.floor((now - c.anchorMs) / c.intervalMs);
  const start = c.anchorMs + index * c.intervalMs;
  return { index, start, end: start + c.intervalMs };
}

/**
 * The Idempotency-Key of a period's buy: the same for every attempt and every restart within the period, so the API
 * places at most one order a period (a replay answers the first order, or the first refusal). Changing the amount
 * within a period is refused (409 IDEMPOTENCY_CONFLICT) instead of buying again.
 * @param {Pick<Config, 'name' | 'symbol' | 'intervalMs'>} c
 * @param {number} periodStart
 */
export function idempotencyKey(c, periodStart) {
  return `${c.name}:${c.symbol}:every-${c.intervalMs}ms:${new Date(periodStart).toISOString()}`;
}

/**
 * Waits `ms`, or less when `signal` aborts.
 * @param {number} ms
 * @param {AbortSignal} signal
 */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const timer = setTimeout(done, Math.max(0, Math.min(ms, 2_147_483_647)));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(undefined);
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * One period's market buy of DCA_USD_AMOUNT dollars (fee included). Answers the order, or undefined when the period
 * is skipped: not enough USD (422 INSUFFICIENT_FUNDS), another refusal of the order (a 4xx), or the period ended
 * while the API could not be reached. Network errors, 5xx and 429 are retried with the same key until the period
 * ends. A revoked, expired or under-scoped key (401, 403) throws: no later period can do better.
 * @param {CryptoVaultClient} client
 * @param {Config} c
 * @param {{ start: number, end: number }} period
 * @param {AbortSignal} stopping
 */
export async function buyOnce(client, c, period, stopping) {
  const key = idempotencyKey(c, period.start);
  const fields = { period: new Date(period.start).toISOString(), symbol: c.symbol, usdAmount: c.usdAmount, idempotencyKey: key };
  for (let attempt = 1; ; attempt++) {
    try {
      const { order } = await client.post('/api/orders', {
        body: { symbol: c.symbol, side: 'buy', type: 'market', quoteAmount: c.usdAmount },
        idempotencyKey: key,
      });
      log('info', 'bought', {
        ...fields,
        orderId: order.id,
        status: order.status,
        quantity: order.quantity,
        filledPrice: order.filledPrice,
        fee: order.fee,
        createdAt: order.createdAt,
      });
      return order;
    } catch (e) {
      if (isApiError(e, 'INSUFFICIENT_FUNDS')) {
        log('warn', 'skipped: not enough USD for this period', { ...fields, code: e.code, message: e.message });
        return undefined;
      }
      if (isApiError(e) && (e.status === 401 || e.status === 403)) {
        log('error', 'the API key was refused', { ...fields, status: e.status, code: e.code, message: e.message });
        throw e;
      }
      if (isApiError(e) && e.status >= 400 && e.status < 500 && e.status !== 429) {
        log('warn', 'skipped: the order was refused', { ...fields, status: e.status, code: e.code, message: e.message, details: e.details });
        return undefined;
      }
      // 429, 5xx, a network error or a timeout: the order may or may not be placed; the same key makes a retry safe.
      const wait = isApiError(e) && e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : Math.min(1000 * 2 ** (attempt - 1), 30_000);
      const reason = isApiError(e) ? { status: e.status, code: e.code } : { error: e instanceof Error ? e.message : String(e) };
      if (stopping.aborted || Date.now() + wait >= period.end) {
        log('warn', 'skipped: the API could not be reached in this period', { ...fields, attempt, ...reason });
        return undefined;
      }
      log('warn', 'retrying the buy', { ...fields, attempt, retryInMs: wait, ...reason });
      await sleep(wait, stopping);
    }
  }
}

/**
 * Buys once a period until DCA_MAX_RUNS periods have run (forever without it) or `stopping` aborts: now for the
 * current period, then at the start of each next one. A period the bot was not running for is not caught up.
 * `onOrder` is told of each order placed. Resolves when done; rejects when the key is refused.
 * @param {CryptoVaultClient} client
 * @param {Config} c
 * @param {AbortSignal} stopping
 * @param {(order: import('@cryptovault/client').Order) => void} onOrder
 */
export async function runSchedule(client, c, stopping, onOrder) {
  let runs = 0;
  /** @type {number | undefined} */
  let last;
  while (!stopping.aborted && (c.maxRuns === undefined || runs < c.maxRuns)) {
    const period = periodOf(Date.now(), c);
    if (period.index === last) {
      await sleep(period.end - Date.now(), stopping);
      continue;
    }
    last = period.index;
    runs++;
    const order = await buyOnce(client, c, period, stopping);
    if (order) onOrder(order);
    if (!stopping.aborted && (c.maxRuns === undefined || runs < c.maxRuns)) log('info', 'next buy', { at: new Date(period.end).toISOString() });
  }
  return runs;
}
