import { readFileSync } from 'node:fs';

/**
 * @typedef {object} Config
 * @property {string} baseUrl        CV_BASE_URL
 * @property {string} keyId          CV_KEY_ID
 * @property {string} privateKeyPem  read from CV_PRIVATE_KEY_FILE (never logged)
 * @property {string} symbol         DCA_SYMBOL, upper case
 * @property {string} usdAmount      DCA_USD_AMOUNT, a decimal string (never a float)
 * @property {number} intervalMs     DCA_INTERVAL_MS
 * @property {number} anchorMs       DCA_ANCHOR: where the periods are counted from
 * @property {number | undefined} maxRuns  DCA_MAX_RUNS
 * @property {string} name           DCA_NAME: the idempotency keys' prefix
 * @property {number} drainMs        DCA_DRAIN_MS
 * @property {{ port: number, host: string, secret: string } | undefined} webhook  WEBHOOK_PORT, WEBHOOK_HOST, WEBHOOK_SECRET
 */

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,8})?$/;

/** Thrown for a setting that is missing or wrong; main.js prints every problem at once and exits 2. */
export class ConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(problems.join('; '));
    this.problems = problems;
  }
}

/**
 * The bot's settings from the environment (README.md lists them).
 * @param {NodeJS.ProcessEnv} env
 * @returns {Config}
 */
export function loadConfig(env) {
  /** @type {string[]} */
  const problems = [];
  /** @param {string} name */
  const required = (name) => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is required`);
    return v ?? '';
  };
  /**
   * @param {string} name
   * @param {number | undefined} def
   * @param {number} min
   * @param {number} max
   */
  const integer = (name, def, min, max) => {
    const raw = env[name]?.trim();
    if (!raw) return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
      return def;
    }
    return Number(raw);
  };

  const baseUrl = required('CV_BASE_URL');
  if (baseUrl && !/^https?:\/\/[^\s]+$/.test(baseUrl)) problems.push('CV_BASE_URL must be an http(s) URL, like https://cryptovault.example');
  const keyId = required('CV_KEY_ID');
  const keyFile = required('CV_PRIVATE_KEY_FILE');
  let privateKeyPem = '';
  if (keyFile) {
    try {
      privateKeyPem = readFileSync(keyFile, 'utf8');
    } catch (e) {
      problems.push(`CV_PRIVATE_KEY_FILE cannot be read (${/** @type {NodeJS.ErrnoException} */ (e).code ?? 'error'})`);
    }
    if (privateKeyPem && !privateKeyPem.includes('-----BEGIN PRIVATE KEY-----'))
      problems.push('CV_PRIVATE_KEY_FILE must hold a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----")');
  }
  const symbol = required('DCA_SYMBOL').toUpperCase();
  if (symbol && !/^[A-Z0-9]{1,16}$/.test(symbol)) problems.push('DCA_SYMBOL must be a ticker of up to 16 letters and digits, like BTC');
  const usdAmount = required('DCA_USD_AMOUNT');
  if (usdAmount && (!DECIMAL.test(usdAmount) || /^0(\.0*)?$/.test(usdAmount))) {
    problems.push('DCA_USD_AMOUNT must be a USD amount more than 0 written as a decimal, like 25 or 25.50 (at most 8 decimals)');
  }
  const intervalMs = integer('DCA_INTERVAL_MS', 86_400_000, 1_000, 366 * 86_400_000) ?? 86_400_000;
  let anchorMs = 0;
  const anchor = env.DCA_ANCHOR?.trim();
  if (anchor) {
    anchorMs = Date.parse(anchor);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(anchor) || Number.isNaN(anchorMs)) {
      problems.push('DCA_ANCHOR must be an ISO 8601 time, like 2026-01-05T09:00:00Z');
      anchorMs = 0;
    }
  }
  const maxRuns = integer('DCA_MAX_RUNS', undefined, 1, 1_000_000);
  const name = env.DCA_NAME?.trim() || 'dca';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(name)) problems.push('DCA_NAME must be 1 to 40 letters, digits, _ or -');
  const drainMs = integer('DCA_DRAIN_MS', 60_000, 0, 3_600_000) ?? 60_000;

  const secret = env.WEBHOOK_SECRET?.trim();
  const port = integer('WEBHOOK_PORT', 8787, 0, 65_535) ?? 8787;
  const host = env.WEBHOOK_HOST?.trim() || '127.0.0.1';
  if (secret !== undefined && secret !== '' && !secret.startsWith('whsec_')) problems.push('WEBHOOK_SECRET must be the endpoint\'s signing secret ("whsec_…")');
  if (!secret && env.WEBHOOK_PORT?.trim()) problems.push('WEBHOOK_PORT is set but WEBHOOK_SECRET is not: the webhook server needs the signing secret');

  if (problems.length) throw new ConfigError(problems);
  return {
    baseUrl,
    keyId,
    privateKeyPem,
    symbol,
    usdAmount,
    intervalMs,
    anchorMs,
    maxRuns,
    name,
    drainMs,
    webhook: secret ? { port, host, secret } : undefined,
  };
}

/**
 * What the bot logs of its settings: never the private key or the webhook secret.
 * @param {Config} c
 */
export function describe(c) {
  return {
    baseUrl: c.baseUrl,
    keyId: c.keyId,
    symbol: c.symbol,
    usdAmount: c.usdAmount,
    intervalMs: c.intervalMs,
    anchor: new Date(c.anchorMs).toISOString(),
    maxRuns: c.maxRuns ?? null,
    name: c.name,
    webhook: c.webhook ? { host: c.webhook.host, port: c.webhook.port } : null,
  };
}
