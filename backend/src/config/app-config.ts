import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseExplorerOverrides } from '../wallet/withdrawals/block-explorers';
import { backendRoot } from './backend-root';
import { BackupConfigValues, parseBackupConfig } from './backup-config';
import { ObservabilityConfigValues, parseObservabilityConfig } from '../observability/observability-config';
import { parseWebhookConfig, WebhookConfigValues } from './webhook-config';

export type Profile = 'development' | 'test' | 'production';
export type PriceSourceName = 'simulated' | 'coingecko' | 'coincap' | 'binance';
export type PaymentProviderName = 'sandbox' | 'nowpayments';
/** Where the display-currency reference rates come from: the ECB's daily XML, or the ECB-format sample bundled with the build. */
export type FxSourceName = 'ecb' | 'sample';

/** The European Central Bank's daily euro foreign exchange reference rates (FX_SOURCE_URL's default). */
export const ECB_DAILY_RATES_URL = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';

/** Typed configuration. Read once at boot by {@link loadConfig}; code reads it only through {@link AppConfig}. */
/** PostgreSQL connections per instance unless DATABASE_POOL_SIZE says otherwise (also for tools given no config). */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

export interface AppConfigValues {
  profile: Profile;
  port: number;
  host: string;
  dataDir: string;
  /** The built web client (`index.html` and its assets) served at `/`; not served when it has no index.html. */
  clientDir: string;
  /** SERVER_RENDER (default on): the markets and coin pages' first HTML rendered with their prices (server-render.ts). */
  serverRender: boolean;
  /**
   * SERVER_RENDER_TIMEOUT_MS (default 3000): how long a navigation waits for its page's render before it gets the
   * client's index page instead (the render goes on and its page is cached for the next visitor). Kept below
   * REQUEST_TIMEOUT_MS. The first render after a start also loads the client's server bundle: on a slow or busy machine
   * it can take longer than the default.
   */
  serverRenderTimeoutMs: number;
  databaseUrl: string | undefined;
  /**
   * DATABASE_POOL_SIZE: PostgreSQL connections each instance keeps at most (default 20). Instances × this must stay under
   * the server's max_connections (or a pooler's); docs/CAPACITY.md.
   */
  databasePoolSize: number;
  redisUrl: string | undefined;
  /** Prefix for every Redis key and channel, so suites and tenants can share one server. */
  redisPrefix: string;
  jwtSecret: string;
  /** JWT_SECRET was unset: a random secret for this run only (sessions end at restart). See keepDevelopmentJwtSecret. */
  jwtSecretGenerated: boolean;
  /** JWT_SECRET was unset in development: the secret is kept in this file of DATA_DIR, so sessions survive restarts. */
  jwtSecretFile?: string;
  corsOrigins: string[];
  adminSetupToken: string;
  adminSetupTokenGenerated: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  appUrl: string;
  priceSources: PriceSourceName[];
  priceMaxAgeMs: number;
  /** TRIGGER_FIRE_CONCURRENCY: how many transactions fire what one tick crossed at once (see TriggerEngine.fire). */
  /**
   * PRICE_COALESCE_MS: quotes the leader accepts within this window go out as one tick (a WebSocket source sends one
   * frame per asset, and a burst of them arrives together). Every tick is on its way to the trigger engine, so this
   * window is part of a resting order's latency: kept short.
   */
  priceCoalesceMs: number;
  triggerFireConcurrency: number;
  /** TRIGGER_FIRE_BATCH: at most this many crossed resting orders (or alerts) are fired together (one transaction; orders: one journal statement). */
  triggerFireBatch: number;
  /** TRIGGER_FIRE_MIN_BATCH: up to this many resting orders (or alerts) one tick crossed are fired in one transaction, not side by side. */
  triggerFireMinBatch: number;
  allowSimulatedPrices: boolean;
  coingeckoBaseUrl: string;
  coingeckoApiKey: string | undefined;
  coincapWsUrl: string;
  binanceWsUrl: string;
  /** CoinGecko key header: demo (`x-cg-demo-api-key`) or pro (`x-cg-pro-api-key`). */
  coingeckoApiPlan: 'demo' | 'pro';
  coingeckoPollMs: number;
  simulatedTickMs: number;
  simulatedSeed: number | undefined;
  /** Annualised volatility of the simulated feed; 0 freezes prices at the bundled snapshot. */
  simulatedVolatility: number;
  /** Lease of the price-ingestion leader lock. */
  priceLeaderLeaseMs: number;
  /** A source that sends nothing for this long is treated as failed. */
  priceSourceSilenceMs: number;
  /** Consecutive errors that open a source's circuit breaker. */
  priceBreakerThreshold: number;
  /** How long an open breaker ignores its source before a recovery is accepted. */
  priceBreakerCooldownMs: number;
  /** 1-minute candles older than this are rolled into hourly candles. */
  candleRetentionDays: number;
  /**
   * CANDLE_HISTORY_BACKFILL: whether the charts' history before the first stored candle is filled in at the first tick
   * (from CoinGecko, or simulated; CandlesService.backfill). On by default; a test suite whose subject is not history
   * turns it off (some 25,000 rows a start).
   */
  candleHistoryBackfill: boolean;
  /**
   * FX_SOURCE: where display-currency reference rates come from. Default `sample` when PRICE_SOURCES is
   * `simulated` alone (the offline development default), `ecb` otherwise.
   */
  fxSource: FxSourceName;
  /** FX_SOURCE_URL: the ECB daily reference rates XML (tests point it at a local fake). */
  fxSourceUrl: string;
  /** FX_REFRESH_MS: how often the deployment fetches the reference rates (one instance per round). */
  fxRefreshMs: number;
  /** FX_RETRY_MS: the first retry after a failed fetch; each further failure doubles it, up to FX_REFRESH_MS. */
  fxRetryMs: number;
  wsMaxConnectionsPerIp: number;
  /** `/ws/user` sockets per client IP (authenticated or not) and per user, on each instance. */
  wsUserMaxConnectionsPerIp: number;
  wsUserMaxConnectionsPerUser: number;
  /** A `/ws/user` socket that has not authenticated this long after opening is closed (4401 AUTH_TIMEOUT). */
  wsAuthTimeoutMs: number;
  wsMaxMessageBytes: number;
  /** A client whose unsent bytes exceed this skips ticks until it drains. */
  wsMaxBufferedBytes: number;
  wsHeartbeatMs: number;
  paymentProvider: PaymentProviderName;
  nowpaymentsBaseUrl: string;
  nowpaymentsApiKey: string | undefined;
  nowpaymentsIpnSecret: string | undefined;
  /**
   * The NOWPayments payout account (NOWPAYMENTS_PAYOUT_EMAIL, _PASSWORD, _2FA_SECRET): the token of POST /v1/auth,
   * and the TOTP secret of its two-factor authentication that verifies each payout. From the environment (a secret
   * store), never the database; never logged.
   */
  nowpaymentsPayoutEmail: string | undefined;
  nowpaymentsPayoutPassword: string | undefined;
  nowpaymentsPayout2faSecret: string | undefined;
  /**
   * PAYOUTS_AUTOMATIC: approved withdrawals are sent through the provider's payouts API (under the caps below).
   * Default: on with NOWPayments when the payout account is configured; off with the sandbox (whose payouts are
   * finished by `npm run sandbox:payout`), where an operator completes withdrawals with their transaction hash.
   */
  payoutsAutomatic: boolean;
  /** PAYOUT_AUTO_MAX_USD: a withdrawal worth more (USD when requested) is sent by an operator, not automatically. */
  payoutAutoMaxUsd: string;
  /** PAYOUT_AUTO_DAILY_USD: automatic payouts of the whole platform in a rolling 24 hours stay within this (USD). */
  payoutAutoDailyUsd: string;
  /**
   * PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS: a withdrawal of a user credited by a ledger adjustment in this many days is
   * sent by an operator (reason recent_adjustment), as is one approved by an admin who requested or approved a credit to its user.
   */
  payoutAutoAdjustmentLookbackDays: number;
  /** PAYOUT_WORKER_INTERVAL_MS: how often every instance resumes payouts left unsent and checks the ones under way. */
  payoutWorkerIntervalMs: number;
  /**
   * PAYOUT_CLAIM_MS: how long the instance sending a payout holds it; one whose sender stopped (a crash) is resumed
   * by any instance after that, looking it up at the provider by its `unique_external_id` before creating it again.
   */
  payoutClaimMs: number;
  /** PAYOUT_STATUS_CHECK_MS: a payout under way with no status news this long is looked up at the provider. */
  payoutStatusCheckMs: number;
  /** ACCOUNT_EXPORT_INTERVAL_MS: how often every instance looks for data exports to make ("Download my data"). */
  accountExportIntervalMs: number;
  /** ACCOUNT_EXPORT_TTL_DAYS: a finished data export can be downloaded for this many days, then its file is deleted. */
  accountExportTtlDays: number;
  /** ACCOUNT_EXPORTS_PER_DAY: data exports a user may request in 24 hours (one at a time). */
  accountExportsPerDay: number;
  /** STATEMENT_PDF_MAX_ROWS: movements a PDF statement holds at most; a month with more is 422 (its CSV has them all). */
  statementPdfMaxRows: number;
  /** PAYOUT_TEST_CRASH_AFTER_CREATE: tests only (refused in production): SIGKILL right after the provider created a payout, before it is recorded. */
  payoutTestCrashAfterCreate: boolean;
  /** PROVIDER_RECONCILE_INTERVAL_MS: how often one instance compares the ledger's liabilities with the provider's balances (0: never). */
  providerReconcileIntervalMs: number;
  /** PROOF_OF_RESERVES_INTERVAL_MS: how often one instance takes a proof-of-reserves snapshot (0: never; admins still can). */
  proofOfReservesIntervalMs: number;
  tradingFeeRate: string;
  /** CONVERT_QUOTE_TTL_MS: how long a convert quote (POST /api/convert/quotes) can be settled at its locked rate. */
  convertQuoteTtlMs: number;
  /** Balance rows per platform account and asset (their sum is the balance), so concurrent trades do not queue on one row lock. */
  ledgerPlatformShards: number;
  /** Most market orders one statement posts together (orders that arrived while earlier statements ran). */
  orderBatchMax: number;
  /** Market order statements in flight at once per process; more orders than that wait and go together in the next. */
  orderBatchConcurrency: number;
  withdrawalDualApprovalUsd: string;
  /**
   * USD value of one admin's ledger adjustments in 24 hours (credits and
   * debits alike) from which each further one needs a second admin.
   * Defaults to WITHDRAWAL_DUAL_APPROVAL_USD.
   */
  ledgerAdjustmentDualApprovalUsd: string;
  /** Most USD value a user may withdraw in 24 hours. */
  withdrawalDailyLimitUsd: string;
  /**
   * BLOCK_EXPLORER_TX_URLS: per withdrawal network, the block explorer's transaction URL template (`{hash}` in its
   * path) replacing the default one, or null (`none`) for no explorer links on that network. Networks not named keep
   * their defaults (wallet/withdrawals/block-explorers.ts).
   */
  blockExplorerTxUrls: Record<string, string | null>;
  /**
   * ADDRESS_HOLD_HOURS (decimal, default 24): how long a confirmed withdrawal address waits before its first use,
   * and how long turning the address-book lock off takes to take effect. Decimals (e.g. 0.001 = 3.6 s) let tests run fast.
   */
  addressHoldMs: number;
  /** Bearer token for /metrics; unset → only loopback callers may scrape. */
  metricsToken: string | undefined;
  /** How often one instance runs the ledger reconciliation for the metrics gauge (0: never). */
  ledgerCheckIntervalMs: number;
  /** How often waiting deposits past their window are marked expired (DEPOSIT_EXPIRY_INTERVAL_MS). */
  depositExpiryIntervalMs: number;
  /** RECURRING_BUYS_TICK_MS: how often every instance looks for recurring buys that are due (each period is claimed once in PostgreSQL). */
  recurringBuysTickMs: number;
  /**
   * RECURRING_BUYS_RETRY_MS: the least wait before a failed recurring-buy attempt (a stale price, a busy or unreachable
   * database) is tried again; it doubles per attempt, and is at least one tick (default 1,000).
   */
  recurringBuysRetryMs: number;
  /**
   * RECURRING_BUYS_TEST_PERIOD_MS: tests and development only (refused in production): every recurring-buy frequency
   * lasts this many milliseconds instead of a day, a week or a month, so a suite sees several periods in seconds.
   */
  recurringBuysTestPeriodMs: number | undefined;
  /**
   * ALERT_MIN_COOLDOWN_SECONDS: the shortest cooldown a repeating alert may have (1 to 86,400; 3600 by default, the
   * client's shortest choice being 1 hour); tests lower it to see an alert fire, re-arm and fire again in seconds.
   */
  alertMinCooldownSeconds: number;
  /** On SIGTERM/SIGINT: how long in-flight requests, WebSockets and transactions get before the process exits anyway. */
  shutdownGraceMs: number;
  rateLimitScale: number;
  /**
   * Failed confirmations (second-factor codes, current passwords) of signed-in actions are counted over this
   * window; a session with `confirmationSessionMaxFailures` of them, or an account with
   * `confirmationAccountMaxFailures` across its sessions, is locked out of those actions for `confirmationLockMs`.
   */
  confirmationWindowMs: number;
  confirmationLockMs: number;
  /**
   * How long withdrawals are held after a password reset, a 2FA change (not the first enrolment), an unfreeze,
   * an email or passkey change: SECURITY_HOLD_HOURS (default 24; a decimal, so tests can hold for seconds).
   */
  securityHoldMs: number;
  confirmationSessionMaxFailures: number;
  confirmationAccountMaxFailures: number;
  /** How long a WebAuthn challenge (passkey registration, sign-in, confirmation) stays valid; each is single use. */
  passkeyChallengeTtlMs: number;
  /** How long a step-up confirmation (POST /api/auth/step-up) lets its session use `@RequiresStepUp()` routes (STEP_UP_TTL_SECONDS). */
  stepUpTtlSeconds: number;
  /** API_KEY_WINDOW_SECONDS: how far (either way) a signed API-key request's timestamp may be from the server's clock; nonces are kept twice as long plus a clock margin (api-key-authenticator.ts: nonceTtlMs). */
  apiKeyWindowSeconds: number;
  /** TRUST_PROXY as written (validated here; compiled by common/http/client-ip's compileTrustProxy); unset or "false": none. */
  trustProxy: string | undefined;
  cookieSecure: boolean;
  logLevel: string;
  requestTimeoutMs: number;
  /**
   * KEEP_ALIVE_TIMEOUT_MS: how long an idle kept-alive HTTP connection stays open (announced as `Keep-Alive: timeout=`).
   * Longer than the idle timeout of any proxy in front (nginx upstream keepalive 60 s, cloud load balancers 60 s):
   * Node's own 5 s lets the app close a connection the proxy is reusing at that moment, and a POST sent on it fails.
   */
  keepAliveTimeoutMs: number;
  /** Embedded database only: how long a request waits for its one connection before it answers 503 DATABASE_BUSY. */
  databaseBusyTimeoutMs: number;
  /**
   * PostgreSQL only: the server cancels any one statement of the app's that runs (or waits for a lock) longer than this,
   * and the request answers 503 DATABASE_BUSY (default: half of REQUEST_TIMEOUT_MS, so that a statement that cannot
   * finish is answered as such before the request's own timeout, and work a request has given up on does not go on
   * holding a pooled connection for long); 0: no limit. Not bound by it: migrations at boot, the command-line tools,
   * and the background work that is long by nature (UnitOfWork `unbounded`: the ledger check, proof-of-reserves
   * snapshots, data exports).
   */
  databaseStatementTimeoutMs: number;
  /**
   * PostgreSQL only: the server ends the session of a transaction of the app's that sits idle (between two of its
   * statements) longer than this: its locks are released and it is rolled back. Work that awaits something else in the
   * middle of a transaction (a hung call) then holds no rows hostage; its next statement fails and the request answers
   * 503 SERVICE_UNAVAILABLE (default: REQUEST_TIMEOUT_MS: a transaction idle that long serves no request any more,
   * and a stall of the event loop shorter than a request's whole time ends no one's transaction; 0: no limit). Not
   * bound by it, as for the statement timeout: migrations, the command-line tools, and UnitOfWork `unbounded` work.
   */
  databaseIdleInTransactionTimeoutMs: number;
  /**
   * PostgreSQL only: how long a migration statement at boot waits for a table's lock before its migration is rolled
   * back and tried again (0: as long as it takes). Keeps an `ALTER TABLE` waiting behind a transaction of the running
   * release from queueing the live app's statements on that table behind it (database/migrate.ts).
   */
  migrationLockTimeoutMs: number;
  /** Refuse (throw) when code holding a database connection asks for another (see database/connection-guard.ts). */
  databaseConnectionGuard: boolean;
  bcryptCost: number;
  /** Backups and restore (BACKUP_*, PG_DUMP, PG_RESTORE): see backup-config.ts. */
  backup: BackupConfigValues;
  /** Error tracking and traces (SENTRY_*, OTEL_*): see observability/observability-config.ts. */
  observability: ObservabilityConfigValues;
  /** Outgoing webhooks (WEBHOOK_*): see webhook-config.ts. */
  webhooks: WebhookConfigValues;
  version: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `frontend/`'s production build, beside the backend in the repository. */
export const DEFAULT_CLIENT_DIR = resolve(backendRoot(), '..', 'frontend', 'dist', 'frontend', 'browser');

const PRICE_SOURCES: PriceSourceName[] = ['simulated', 'coingecko', 'coincap', 'binance'];
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Whether one TRUST_PROXY entry is an address, a subnet (CIDR) or one of proxy-addr's names. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  if (/^\d+$/.test(bits)) return Number(bits) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(bits) === 4; // 10.0.0.0/255.0.0.0
}

/** The password of a redis:// URL (`redis://:PASSWORD@host`, or `redis://user:PASSWORD@host` with Redis ACLs), as ioredis reads it; '' without one or when unparseable. */
function redisPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Parses and validates the environment. Every problem is collected and reported
 * together, so one failed boot tells the operator everything that is wrong.
 */
/** Where development keeps its JWT secret when JWT_SECRET is unset. */
export const DEVELOPMENT_JWT_SECRET_FILE = 'jwt-secret';

/**
 * In development without JWT_SECRET, the secret is kept in DATA_DIR (made on
 * the first start, owner-only, read on the next ones): sessions survive a
 * restart, as they do with JWT_SECRET set. Two instances starting at once on
 * one DATA_DIR read the same file (the first to create it wins). Other
 * profiles are returned as they are (production requires JWT_SECRET; tests
 * get a random secret per run).
 */
export function keepDevelopmentJwtSecret(config: AppConfigValues): AppConfigValues {
  if (config.profile !== 'development' || !config.jwtSecretGenerated) return config;
  const file = join(config.dataDir, DEVELOPMENT_JWT_SECRET_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  // Written whole to a file of its own, then linked into place: a start reading it at the same moment sees all or nothing.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${config.jwtSecret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(draft);
  }
  // The signing key: a regular file that only its owner (this user) can read or write, never a link to elsewhere.
  const stat = lstatSync(file);
  const owner = process.getuid?.();
  if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (owner !== undefined && stat.uid !== owner)) {
    throw new ConfigError([`${file} must be a regular file of this user that only it can read (chmod 600), or be deleted to make a new one`]);
  }
  const kept = readFileSync(file, 'utf8').trim();
  if (kept.length < 32) throw new ConfigError([`${file} must hold a secret of at least 32 characters (delete it to make a new one)`]);
  return { ...config, jwtSecret: kept, jwtSecretGenerated: false, jwtSecretFile: file };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.1.0'): AppConfigValues {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return Number(raw);
  };
  const url = (name: string, def: string | undefined, protocols: string[]): string | undefined => {
    const raw = str(name) ?? def;
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${u.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };
  const decimal = (name: string, def: string, max?: number): string => {
    const raw = str(name) ?? def;
    if (!DECIMAL.test(raw) || (max !== undefined && Number(raw) > max)) {
      problems.push(`${name} must be a non-negative decimal${max !== undefined ? ` at most ${max}` : ''} (got "${raw}")`);
      return def;
    }
    return raw;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return def;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };

  const nodeEnv = str('NODE_ENV') ?? 'development';
  let profile: Profile = 'development';
  if (nodeEnv === 'development' || nodeEnv === 'test' || nodeEnv === 'production') profile = nodeEnv;
  else problems.push(`NODE_ENV must be development, test or production (got "${nodeEnv}")`);
  const production = profile === 'production';

  const port = int('PORT', 8000, 0, 65535);
  const host = str('HOST') ?? '0.0.0.0';
  const dataDir = resolve(str('DATA_DIR') ?? './data');
  const databaseUrl = url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', undefined, ['redis:', 'rediss:']);

  const jwtRaw = str('JWT_SECRET');
  if (jwtRaw !== undefined && jwtRaw.length < 32 && production) {
    problems.push('JWT_SECRET must be at least 32 characters in production');
  }
  const setupRaw = str('ADMIN_SETUP_TOKEN');
  if (setupRaw !== undefined && setupRaw.length < 16) {
    problems.push('ADMIN_SETUP_TOKEN must be at least 16 characters');
  }

  const priceSourcesRaw = (str('PRICE_SOURCES') ?? 'simulated').split(',').map((s) => s.trim().toLowerCase());
  const priceSources: PriceSourceName[] = [];
  for (const s of priceSourcesRaw) {
    if ((PRICE_SOURCES as string[]).includes(s)) priceSources.push(s as PriceSourceName);
    else problems.push(`PRICE_SOURCES: unknown source "${s}" (known: ${PRICE_SOURCES.join(', ')})`);
  }
  const allowSimulatedPrices = bool('ALLOW_SIMULATED_PRICES', !production);

  const paymentRaw = str('PAYMENT_PROVIDER') ?? 'sandbox';
  let paymentProvider: PaymentProviderName = 'sandbox';
  if (paymentRaw === 'sandbox' || paymentRaw === 'nowpayments') paymentProvider = paymentRaw;
  else problems.push(`PAYMENT_PROVIDER must be sandbox or nowpayments (got "${paymentRaw}")`);

  const appUrl = url('APP_URL', `http://localhost:${port}`, ['http:', 'https:']) as string;
  const corsOrigins = (str('CORS_ORIGINS') ?? new URL(appUrl).origin)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (corsOrigins.includes('*')) problems.push('CORS_ORIGINS must list origins; "*" is refused because cookies carry credentials');

  const cookieSecure = bool('COOKIE_SECURE', production);
  const metricsToken = str('METRICS_TOKEN');
  const withdrawalDualApprovalUsd = decimal('WITHDRAWAL_DUAL_APPROVAL_USD', '5000');
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  const ledgerCheckIntervalMs = (ms: number): number => {
    if (ms !== 0 && ms < 1_000) {
      problems.push(`LEDGER_CHECK_INTERVAL_MS must be 0 (off) or at least 1000 (got "${ms}")`);
      return 300_000;
    }
    return ms;
  };
  let trustProxy = str('TRUST_PROXY');
  if (trustProxy?.toLowerCase() === 'false') trustProxy = undefined;
  if (trustProxy !== undefined && trustProxy !== 'true' && !/^\d+$/.test(trustProxy)) {
    const bad = trustProxy
      .split(',')
      .map((s) => s.trim())
      .filter((s) => !isProxyEntry(s));
    if (bad.length) {
      problems.push(
        `TRUST_PROXY must be a hop count or a list of proxy addresses, subnets or loopback/linklocal/uniquelocal (not ${bad.map((b) => `"${b}"`).join(', ')})`,
      );
    }
  }
  const smtpUrl = url('SMTP_URL', undefined, ['smtp:', 'smtps:']);
  const confirmationSessionMaxFailures = int('CONFIRMATION_SESSION_MAX_FAILURES', 5, 1, 100);
  let confirmationAccountMaxFailures = int('CONFIRMATION_ACCOUNT_MAX_FAILURES', 15, 1, 1_000);
  if (confirmationAccountMaxFailures <= confirmationSessionMaxFailures) {
    problems.push(
      `CONFIRMATION_ACCOUNT_MAX_FAILURES (${confirmationAccountMaxFailures}) must be more than CONFIRMATION_SESSION_MAX_FAILURES (${confirmationSessionMaxFailures}): the account lock counts every session's failures`,
    );
    confirmationAccountMaxFailures = confirmationSessionMaxFailures + 10;
  }
  const nowpaymentsIpnSecret = str('NOWPAYMENTS_IPN_SECRET');
  const nowpaymentsApiKey = str('NOWPAYMENTS_API_KEY');
  const nowpaymentsPayoutEmail = str('NOWPAYMENTS_PAYOUT_EMAIL');
  const nowpaymentsPayoutPassword = str('NOWPAYMENTS_PAYOUT_PASSWORD');
  const nowpaymentsPayout2faSecret = str('NOWPAYMENTS_PAYOUT_2FA_SECRET')?.replace(/\s+/g, '').toUpperCase();
  if (nowpaymentsPayout2faSecret !== undefined && !/^[A-Z2-7]{16,128}=*$/.test(nowpaymentsPayout2faSecret)) {
    problems.push("NOWPAYMENTS_PAYOUT_2FA_SECRET must be the base32 secret of the payout account's two-factor authentication (16 or more of A–Z, 2–7)");
  }
  const payoutAccount = !!(nowpaymentsPayoutEmail && nowpaymentsPayoutPassword && nowpaymentsPayout2faSecret);
  const payoutsAutomatic = bool('PAYOUTS_AUTOMATIC', paymentProvider === 'nowpayments' && payoutAccount);
  if (payoutsAutomatic && paymentProvider === 'nowpayments' && (!payoutAccount || !nowpaymentsApiKey)) {
    problems.push(
      'PAYOUTS_AUTOMATIC=true with NOWPayments needs NOWPAYMENTS_API_KEY, NOWPAYMENTS_PAYOUT_EMAIL, NOWPAYMENTS_PAYOUT_PASSWORD and NOWPAYMENTS_PAYOUT_2FA_SECRET (or PAYOUTS_AUTOMATIC=false: operators send every withdrawal)',
    );
  }
  const payoutClaimMs = int('PAYOUT_CLAIM_MS', 120_000, 1_000, 3_600_000);
  // A claim shorter than a send (sign-in, create, verify: up to 10 s each) would let a second instance resume a payout
  // whose create is still on its way: its lookup would not find it yet, and the provider would get two.
  if (production && payoutClaimMs < 60_000) problems.push(`PAYOUT_CLAIM_MS must be at least 60000 in production (got "${payoutClaimMs}")`);
  const payoutTestCrashAfterCreate = bool('PAYOUT_TEST_CRASH_AFTER_CREATE', false);
  if (production && payoutTestCrashAfterCreate) problems.push('PAYOUT_TEST_CRASH_AFTER_CREATE is for tests only: refused in production');
  const providerReconcileIntervalMs = int('PROVIDER_RECONCILE_INTERVAL_MS', 86_400_000, 0, 7 * 86_400_000);
  if (providerReconcileIntervalMs !== 0 && providerReconcileIntervalMs < 1_000) {
    problems.push(`PROVIDER_RECONCILE_INTERVAL_MS must be 0 (off) or at least 1000 (got "${providerReconcileIntervalMs}")`);
  }
  const proofOfReservesIntervalMs = int('PROOF_OF_RESERVES_INTERVAL_MS', 86_400_000, 0, 31 * 86_400_000);
  if (proofOfReservesIntervalMs !== 0 && proofOfReservesIntervalMs < 1_000) {
    problems.push(`PROOF_OF_RESERVES_INTERVAL_MS must be 0 (off) or at least 1000 (got "${proofOfReservesIntervalMs}")`);
  }

  if (production) {
    if (!databaseUrl) problems.push('DATABASE_URL is required in production');
    if (!redisUrl) problems.push('REDIS_URL is required in production');
    else if (!redisPassword(redisUrl)) {
      problems.push(
        "REDIS_URL must carry a password in production (redis://:PASSWORD@host:6379, with Redis started with requirepass): an open Redis holds the rate limits, locks and sessions' events",
      );
    }
    if (!jwtRaw) problems.push('JWT_SECRET is required in production (at least 32 characters)');
    if (!setupRaw) problems.push('ADMIN_SETUP_TOKEN is required in production');
    if (priceSources.includes('simulated') && !allowSimulatedPrices) {
      problems.push('PRICE_SOURCES includes "simulated": set ALLOW_SIMULATED_PRICES=true to run production on simulated prices');
    }
    if (!cookieSecure) problems.push('COOKIE_SECURE=false is refused in production: cookies must be Secure');
    if (paymentProvider === 'sandbox') problems.push('PAYMENT_PROVIDER=sandbox is refused in production');
    if (paymentProvider === 'nowpayments' && !nowpaymentsIpnSecret) {
      problems.push('NOWPAYMENTS_IPN_SECRET is required with PAYMENT_PROVIDER=nowpayments in production');
    }
    const everyAddress = (trustProxy ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => /\/0+$/.test(e) || /\/0\.0\.0\.0$/.test(e));
    if (everyAddress.length) {
      problems.push(
        `TRUST_PROXY ${everyAddress.map((e) => `"${e}"`).join(', ')} trusts every address as a proxy, which is TRUST_PROXY=true by another name: refused in production; list your proxies`,
      );
    }
    if (trustProxy === 'true') {
      problems.push(
        'TRUST_PROXY=true (any proxy) is refused in production: anyone could set X-Forwarded-For and pick the client IP of every per-IP limit; list your proxies (e.g. "loopback, 10.0.0.0/8") or give a hop count',
      );
    }
    if (!smtpUrl) problems.push('SMTP_URL is required in production: without it email (reset links, verification codes) only goes to the outbox files');
  }
  const recurringBuysTestPeriodMs = str('RECURRING_BUYS_TEST_PERIOD_MS') === undefined ? undefined : int('RECURRING_BUYS_TEST_PERIOD_MS', 0, 500, 86_400_000);
  if (production && recurringBuysTestPeriodMs !== undefined) {
    problems.push('RECURRING_BUYS_TEST_PERIOD_MS is for tests and development only: refused in production, where recurring buys run daily, weekly or monthly');
  }

  const rateScaleRaw = str('RATE_LIMIT_SCALE') ?? '1';
  let rateLimitScale = Number(rateScaleRaw);
  if (!/^\d+(\.\d+)?$/.test(rateScaleRaw) || rateLimitScale <= 0) {
    problems.push(`RATE_LIMIT_SCALE must be a positive number (got "${rateScaleRaw}")`);
    rateLimitScale = 1;
  }

  const volatilityRaw = str('SIMULATED_VOLATILITY') ?? '0.6';
  let simulatedVolatility = Number(volatilityRaw);
  if (!/^\d+(\.\d+)?$/.test(volatilityRaw) || simulatedVolatility > 10) {
    problems.push(`SIMULATED_VOLATILITY must be an annualised volatility from 0 to 10 (got "${volatilityRaw}")`);
    simulatedVolatility = 0.6;
  }
  const seedRaw = str('SIMULATED_SEED');
  if (seedRaw !== undefined && !/^\d{1,10}$/.test(seedRaw)) problems.push(`SIMULATED_SEED must be a whole number (got "${seedRaw}")`);
  const fxSourceRaw = str('FX_SOURCE')?.toLowerCase() ?? (priceSources.every((s) => s === 'simulated') ? 'sample' : 'ecb');
  if (fxSourceRaw !== 'ecb' && fxSourceRaw !== 'sample') problems.push(`FX_SOURCE must be ecb or sample (got "${fxSourceRaw}")`);
  const fxRefreshMs = int('FX_REFRESH_MS', 3 * 3_600_000, 1_000, 7 * 86_400_000);
  const coingeckoBaseUrl = url('COINGECKO_BASE_URL', 'https://api.coingecko.com/api/v3', ['http:', 'https:']) as string;
  const planRaw = str('COINGECKO_API_PLAN') ?? (/\/\/pro-api\./.test(coingeckoBaseUrl) ? 'pro' : 'demo');
  if (planRaw !== 'demo' && planRaw !== 'pro') problems.push(`COINGECKO_API_PLAN must be demo or pro (got "${planRaw}")`);

  const requestTimeoutMs = int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  const databaseStatementTimeoutMs = int('DATABASE_STATEMENT_TIMEOUT_MS', Math.max(100, Math.floor(requestTimeoutMs / 2)), 0, 3_600_000);
  const config: AppConfigValues = {
    profile,
    port,
    host,
    dataDir,
    clientDir: resolve(str('CLIENT_DIR') ?? DEFAULT_CLIENT_DIR),
    serverRender: bool('SERVER_RENDER', true),
    serverRenderTimeoutMs: int('SERVER_RENDER_TIMEOUT_MS', 3000, 100, 600_000),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', DEFAULT_DATABASE_POOL_SIZE, 2, 500),
    redisUrl,
    redisPrefix: str('REDIS_PREFIX') ?? 'cv:',
    jwtSecret: jwtRaw ?? randomBytes(48).toString('base64url'),
    jwtSecretGenerated: jwtRaw === undefined,
    corsOrigins,
    adminSetupToken: setupRaw ?? randomBytes(24).toString('base64url'),
    adminSetupTokenGenerated: setupRaw === undefined,
    smtpUrl,
    mailFrom: str('MAIL_FROM') ?? 'CryptoVault <no-reply@cryptovault.local>',
    appUrl,
    priceSources: priceSources.length ? priceSources : ['simulated'],
    priceMaxAgeMs: int('PRICE_MAX_AGE_MS', 30_000, 1_000, 3_600_000),
    priceCoalesceMs: int('PRICE_COALESCE_MS', 5, 0, 1_000),
    triggerFireConcurrency: int('TRIGGER_FIRE_CONCURRENCY', 8, 1, 64),
    triggerFireBatch: int('TRIGGER_FIRE_BATCH', 100, 1, 1000),
    triggerFireMinBatch: int('TRIGGER_FIRE_MIN_BATCH', 16, 1, 1000),
    allowSimulatedPrices,
    coingeckoBaseUrl,
    coingeckoApiKey: str('COINGECKO_API_KEY'),
    coincapWsUrl: url('COINCAP_WS_URL', 'wss://ws.coincap.io/prices', ['ws:', 'wss:']) as string,
    binanceWsUrl: url('BINANCE_WS_URL', 'wss://stream.binance.com:9443', ['ws:', 'wss:']) as string,
    coingeckoApiPlan: planRaw === 'pro' ? 'pro' : 'demo',
    coingeckoPollMs: int('COINGECKO_POLL_MS', 15_000, 50, 3_600_000),
    simulatedTickMs: int('SIMULATED_TICK_MS', 1_000, 50, 60_000),
    simulatedSeed: seedRaw !== undefined && /^\d{1,10}$/.test(seedRaw) ? Number(seedRaw) : undefined,
    simulatedVolatility,
    priceLeaderLeaseMs: int('PRICE_LEADER_LEASE_MS', 15_000, 500, 300_000),
    priceSourceSilenceMs: int('PRICE_SOURCE_SILENCE_MS', 15_000, 200, 3_600_000),
    priceBreakerThreshold: int('PRICE_BREAKER_THRESHOLD', 3, 1, 100),
    priceBreakerCooldownMs: int('PRICE_BREAKER_COOLDOWN_MS', 30_000, 0, 3_600_000),
    candleRetentionDays: int('CANDLE_RETENTION_DAYS', 30, 1, 3650),
    candleHistoryBackfill: bool('CANDLE_HISTORY_BACKFILL', true),
    fxSource: fxSourceRaw === 'ecb' ? 'ecb' : 'sample',
    fxSourceUrl: url('FX_SOURCE_URL', ECB_DAILY_RATES_URL, ['http:', 'https:']) as string,
    fxRefreshMs,
    fxRetryMs: Math.min(int('FX_RETRY_MS', 60_000, 100, 7 * 86_400_000), fxRefreshMs),
    wsMaxConnectionsPerIp: int('WS_MAX_CONNECTIONS_PER_IP', 20, 1, 1_000_000),
    wsUserMaxConnectionsPerIp: int('WS_USER_MAX_CONNECTIONS_PER_IP', 20, 1, 1_000_000),
    wsUserMaxConnectionsPerUser: int('WS_USER_MAX_CONNECTIONS_PER_USER', 10, 1, 10_000),
    wsAuthTimeoutMs: int('WS_AUTH_TIMEOUT_MS', 5_000, 100, 60_000),
    wsMaxMessageBytes: int('WS_MAX_MESSAGE_BYTES', 4_096, 64, 1_048_576),
    wsMaxBufferedBytes: int('WS_MAX_BUFFERED_BYTES', 262_144, 1_024, 67_108_864),
    wsHeartbeatMs: int('WS_HEARTBEAT_MS', 30_000, 100, 600_000),
    paymentProvider,
    nowpaymentsBaseUrl: url('NOWPAYMENTS_BASE_URL', 'https://api-sandbox.nowpayments.io', ['http:', 'https:']) as string,
    nowpaymentsApiKey,
    nowpaymentsIpnSecret,
    nowpaymentsPayoutEmail,
    nowpaymentsPayoutPassword,
    nowpaymentsPayout2faSecret,
    payoutsAutomatic,
    payoutAutoMaxUsd: decimal('PAYOUT_AUTO_MAX_USD', '1000'),
    payoutAutoDailyUsd: decimal('PAYOUT_AUTO_DAILY_USD', '10000'),
    payoutAutoAdjustmentLookbackDays: int('PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS', 30, 0, 3650),
    payoutWorkerIntervalMs: int('PAYOUT_WORKER_INTERVAL_MS', 30_000, 50, 3_600_000),
    payoutClaimMs,
    payoutStatusCheckMs: int('PAYOUT_STATUS_CHECK_MS', 600_000, 500, 86_400_000),
    accountExportIntervalMs: int('ACCOUNT_EXPORT_INTERVAL_MS', 5_000, 50, 3_600_000),
    accountExportTtlDays: int('ACCOUNT_EXPORT_TTL_DAYS', 7, 1, 30),
    accountExportsPerDay: int('ACCOUNT_EXPORTS_PER_DAY', 3, 1, 100),
    statementPdfMaxRows: int('STATEMENT_PDF_MAX_ROWS', 5_000, 1, 100_000),
    payoutTestCrashAfterCreate,
    providerReconcileIntervalMs,
    proofOfReservesIntervalMs,
    tradingFeeRate: decimal('TRADING_FEE_RATE', '0.001', 0.1),
    convertQuoteTtlMs: int('CONVERT_QUOTE_TTL_MS', 10_000, 100, 300_000),
    ledgerPlatformShards: int('LEDGER_PLATFORM_SHARDS', 16, 1, 256),
    orderBatchMax: int('ORDER_BATCH_MAX', 64, 1, 1_000),
    orderBatchConcurrency: int('ORDER_BATCH_CONCURRENCY', 2, 1, 64),
    withdrawalDualApprovalUsd,
    ledgerAdjustmentDualApprovalUsd: decimal('LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD', withdrawalDualApprovalUsd),
    withdrawalDailyLimitUsd: decimal('WITHDRAWAL_DAILY_LIMIT_USD', '50000'),
    blockExplorerTxUrls: parseExplorerOverrides(str('BLOCK_EXPLORER_TX_URLS'), problems),
    addressHoldMs: Math.round(Number(decimal('ADDRESS_HOLD_HOURS', '24', 720)) * 3_600_000),
    metricsToken,
    ledgerCheckIntervalMs: ledgerCheckIntervalMs(int('LEDGER_CHECK_INTERVAL_MS', 300_000, 0, 86_400_000)),
    depositExpiryIntervalMs: int('DEPOSIT_EXPIRY_INTERVAL_MS', 60_000, 100, 86_400_000),
    recurringBuysTickMs: int('RECURRING_BUYS_TICK_MS', 30_000, 50, 3_600_000),
    recurringBuysRetryMs: int('RECURRING_BUYS_RETRY_MS', 1_000, 50, 3_600_000),
    recurringBuysTestPeriodMs,
    alertMinCooldownSeconds: int('ALERT_MIN_COOLDOWN_SECONDS', 3_600, 1, 86_400),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 25_000, 100, 600_000),
    rateLimitScale,
    confirmationWindowMs: int('CONFIRMATION_WINDOW_MS', 15 * 60_000, 1_000, 86_400_000),
    confirmationLockMs: int('CONFIRMATION_LOCK_MS', 15 * 60_000, 1_000, 86_400_000),
    securityHoldMs: Math.round(Number(decimal('SECURITY_HOLD_HOURS', '24', 8_760)) * 3_600_000),
    confirmationSessionMaxFailures,
    confirmationAccountMaxFailures,
    passkeyChallengeTtlMs: int('PASSKEY_CHALLENGE_TTL_MS', 5 * 60_000, 1_000, 3_600_000),
    stepUpTtlSeconds: int('STEP_UP_TTL_SECONDS', 300, 1, 3_600),
    apiKeyWindowSeconds: int('API_KEY_WINDOW_SECONDS', 30, 5, 300),
    trustProxy,
    cookieSecure,
    logLevel: str('LOG_LEVEL') ?? (profile === 'test' ? 'warn' : 'info'),
    requestTimeoutMs,
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 65_000, 1_000, 600_000),
    databaseBusyTimeoutMs: int('DATABASE_BUSY_TIMEOUT_MS', 10_000, 100, 600_000),
    databaseStatementTimeoutMs,
    databaseIdleInTransactionTimeoutMs: int('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', requestTimeoutMs, 0, 3_600_000),
    // 1 s, or half the statement timeout when that is shorter.
    migrationLockTimeoutMs: int(
      'MIGRATION_LOCK_TIMEOUT_MS',
      databaseStatementTimeoutMs > 0 ? Math.min(1_000, Math.floor(databaseStatementTimeoutMs / 2)) : 1_000,
      0,
      600_000,
    ),
    databaseConnectionGuard: bool('DATABASE_CONNECTION_GUARD', profile === 'test'),
    bcryptCost: int('BCRYPT_COST', 12, profile === 'production' ? 12 : 4, 15),
    backup: parseBackupConfig(str, int, dataDir, problems),
    observability: parseObservabilityConfig(str, profile, version, problems),
    webhooks: parseWebhookConfig(str, int, bool, production, problems),
    version,
  };
  if (config.databaseStatementTimeoutMs > 0 && config.migrationLockTimeoutMs >= config.databaseStatementTimeoutMs) {
    problems.push(
      `MIGRATION_LOCK_TIMEOUT_MS (${config.migrationLockTimeoutMs}) must be shorter than DATABASE_STATEMENT_TIMEOUT_MS (${config.databaseStatementTimeoutMs}): the app's statements that queue behind a migration waiting for a table's lock would be cancelled before the migration gives way`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
