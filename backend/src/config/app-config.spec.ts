import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTarget } from '../database/data-source-options';
import { ConfigError, keepDevelopmentJwtSecret, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('boots the embedded default with nothing set', () => {
    const c = loadConfig({});
    expect(c.profile).toBe('development');
    expect(c.port).toBe(8000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.priceSources).toEqual(['simulated']);
    expect(c.bcryptCost).toBe(12);
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(c.corsOrigins).toEqual(['http://localhost:8000']);
  });

  it('lists every unsafe production setting in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short', COOKIE_SECURE: 'false' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    expect(text).toContain('DATABASE_URL is required in production');
    expect(text).toContain('REDIS_URL is required in production');
    expect(text).toContain('JWT_SECRET must be at least 32 characters');
    expect(text).toContain('ALLOW_SIMULATED_PRICES=true');
    expect(text).toContain('cookies must be Secure');
  });

  it('refuses a wildcard CORS origin, bad numbers and unknown price sources', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*', PORT: 'eighty', PRICE_SOURCES: 'simulated,bloomberg' })).toThrow(
      /PORT must be a whole number[\s\S]*unknown source "bloomberg"[\s\S]*CORS_ORIGINS/,
    );
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/cv',
      REDIS_URL: 'redis://:cache-secret@cache:6379',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_SETUP_TOKEN: 'y'.repeat(24),
      PRICE_SOURCES: 'coingecko,binance',
      PAYMENT_PROVIDER: 'nowpayments',
      NOWPAYMENTS_IPN_SECRET: 'ipn-secret',
      SMTP_URL: 'smtp://mail:587',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      WEBHOOK_SECRET_KEY: 'q'.repeat(42) + 'c=',
    });
    expect(c.cookieSecure).toBe(true);
    expect(c.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(c.priceSources).toEqual(['coingecko', 'binance']);
  });

  it('sends payouts automatically with NOWPayments once the payout account is configured, under caps, never with its secrets from elsewhere', () => {
    const account = {
      PAYMENT_PROVIDER: 'nowpayments',
      NOWPAYMENTS_API_KEY: 'api-key',
      NOWPAYMENTS_PAYOUT_EMAIL: 'payouts@example.com',
      NOWPAYMENTS_PAYOUT_PASSWORD: 'secret-password',
      NOWPAYMENTS_PAYOUT_2FA_SECRET: 'jbsw y3dp ehpk 3pxp',
    };
    expect(loadConfig({})).toMatchObject({
      payoutsAutomatic: false,
      payoutAutoMaxUsd: '1000',
      payoutAutoDailyUsd: '10000',
      payoutWorkerIntervalMs: 30_000,
      payoutClaimMs: 120_000,
      payoutStatusCheckMs: 600_000,
      accountExportIntervalMs: 5_000,
      accountExportTtlDays: 7,
      accountExportsPerDay: 3,
      providerReconcileIntervalMs: 86_400_000,
      payoutTestCrashAfterCreate: false,
    });
    expect(loadConfig({ PAYMENT_PROVIDER: 'nowpayments' }).payoutsAutomatic).toBe(false);
    expect(loadConfig(account)).toMatchObject({ payoutsAutomatic: true, nowpaymentsPayout2faSecret: 'JBSWY3DPEHPK3PXP' });
    expect(loadConfig({ ...account, PAYOUTS_AUTOMATIC: 'false' }).payoutsAutomatic).toBe(false);
    expect(loadConfig({ PAYOUTS_AUTOMATIC: 'true' }).payoutsAutomatic).toBe(true);
    expect(loadConfig({ PAYOUT_AUTO_MAX_USD: '250.50', PAYOUT_AUTO_DAILY_USD: '0', PROVIDER_RECONCILE_INTERVAL_MS: '0' })).toMatchObject({
      payoutAutoMaxUsd: '250.50',
      payoutAutoDailyUsd: '0',
      providerReconcileIntervalMs: 0,
    });
    expect(() =>
      loadConfig({
        PAYMENT_PROVIDER: 'nowpayments',
        PAYOUTS_AUTOMATIC: 'true',
        NOWPAYMENTS_PAYOUT_2FA_SECRET: 'not base32!',
        PAYOUT_AUTO_MAX_USD: '-1',
        PROVIDER_RECONCILE_INTERVAL_MS: '10',
      }),
    ).toThrow(
      /NOWPAYMENTS_PAYOUT_2FA_SECRET must be the base32 secret[\s\S]*PAYOUTS_AUTOMATIC=true with NOWPayments needs NOWPAYMENTS_API_KEY[\s\S]*PROVIDER_RECONCILE_INTERVAL_MS must be 0 \(off\) or at least 1000[\s\S]*PAYOUT_AUTO_MAX_USD must be a non-negative decimal/,
    );
    expect(loadConfig({ NODE_ENV: 'test', PAYOUT_TEST_CRASH_AFTER_CREATE: 'true' }).payoutTestCrashAfterCreate).toBe(true);
  });

  it('takes display-currency rates from the bundled sample on simulated prices, from the ECB otherwise', () => {
    expect(loadConfig({})).toMatchObject({
      fxSource: 'sample',
      fxSourceUrl: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
      fxRefreshMs: 3 * 3_600_000,
      fxRetryMs: 60_000,
    });
    expect(loadConfig({ PRICE_SOURCES: 'coingecko,simulated' }).fxSource).toBe('ecb');
    expect(loadConfig({ PRICE_SOURCES: 'coingecko', FX_SOURCE: 'Sample' }).fxSource).toBe('sample');
    expect(loadConfig({ FX_SOURCE: 'ecb', FX_SOURCE_URL: 'http://127.0.0.1:9/x.xml' })).toMatchObject({
      fxSource: 'ecb',
      fxSourceUrl: 'http://127.0.0.1:9/x.xml',
    });
    // The first retry is never later than the next round.
    expect(loadConfig({ FX_REFRESH_MS: '5000', FX_RETRY_MS: '60000' }).fxRetryMs).toBe(5_000);
    expect(() => loadConfig({ FX_SOURCE: 'fixer', FX_SOURCE_URL: 'ftp://ecb', FX_REFRESH_MS: '10' })).toThrow(
      /FX_SOURCE must be ecb or sample \(got "fixer"\)[\s\S]*FX_REFRESH_MS must be a whole number from 1000[\s\S]*FX_SOURCE_URL must use http: or https:/,
    );
  });

  it('bounds a statement at half the request timeout, an idle transaction as long, and a migration’s lock wait under it, unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ requestTimeoutMs: 30_000, databaseStatementTimeoutMs: 15_000, migrationLockTimeoutMs: 1_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '8000' })).toMatchObject({ databaseStatementTimeoutMs: 4_000, migrationLockTimeoutMs: 1_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '1000' })).toMatchObject({ databaseStatementTimeoutMs: 500, migrationLockTimeoutMs: 250 });
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0', MIGRATION_LOCK_TIMEOUT_MS: '0' })).toMatchObject({
      databaseStatementTimeoutMs: 0,
      migrationLockTimeoutMs: 0,
    });
    // A transaction may sit idle between its statements as long as a whole request may take, unless told otherwise.
    expect(loadConfig({}).databaseIdleInTransactionTimeoutMs).toBe(30_000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '8000' }).databaseIdleInTransactionTimeoutMs).toBe(8_000);
    expect(loadConfig({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000' }).databaseIdleInTransactionTimeoutMs).toBe(4_000);
    expect(loadConfig({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }).databaseIdleInTransactionTimeoutMs).toBe(0);
    expect(() => loadConfig({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS/);
    // A migration waiting longer than the app's statements may wait would have them cancelled before it gives way.
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2000', MIGRATION_LOCK_TIMEOUT_MS: '2000' })).toThrow(
      /MIGRATION_LOCK_TIMEOUT_MS \(2000\) must be shorter than DATABASE_STATEMENT_TIMEOUT_MS \(2000\)/,
    );
  });

  it('defaults the shutdown grace period and the ledger check interval, and validates them with the metrics token', () => {
    const c = loadConfig({});
    expect(c.shutdownGraceMs).toBe(25_000);
    expect(c.ledgerCheckIntervalMs).toBe(300_000);
    expect(c.metricsToken).toBeUndefined();
    expect(loadConfig({ LEDGER_CHECK_INTERVAL_MS: '0', SHUTDOWN_GRACE_MS: '5000' })).toMatchObject({ ledgerCheckIntervalMs: 0, shutdownGraceMs: 5_000 });
    let error: ConfigError | undefined;
    try {
      loadConfig({ SHUTDOWN_GRACE_MS: '10', LEDGER_CHECK_INTERVAL_MS: '500', METRICS_TOKEN: 'short' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      'METRICS_TOKEN must be at least 16 characters',
      'LEDGER_CHECK_INTERVAL_MS must be 0 (off) or at least 1000 (got "500")',
      'SHUTDOWN_GRACE_MS must be a whole number from 100 to 600000 (got "10")',
    ]);
  });

  describe('production refuses what makes limits spoofable or puts secrets in the log', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/cv',
      REDIS_URL: 'redis://:cache-secret@cache:6379',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_SETUP_TOKEN: 'y'.repeat(24),
      PRICE_SOURCES: 'coingecko',
      PAYMENT_PROVIDER: 'nowpayments',
      NOWPAYMENTS_IPN_SECRET: 'ipn-secret',
      SMTP_URL: 'smtp://mail:587',
      WEBHOOK_SECRET_KEY: 'ab'.repeat(32),
    };
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };

    it('refuses TRUST_PROXY=true (any proxy) and a missing SMTP_URL, both in one message', () => {
      const { SMTP_URL: _unused, ...withoutSmtp } = production;
      expect(problems({ ...withoutSmtp, TRUST_PROXY: 'true' })).toEqual([
        'TRUST_PROXY=true (any proxy) is refused in production: anyone could set X-Forwarded-For and pick the client IP of every per-IP limit; list your proxies (e.g. "loopback, 10.0.0.0/8") or give a hop count',
        'SMTP_URL is required in production: without it email (reset links, verification codes) only goes to the outbox files',
      ]);
    });

    it('refuses a REDIS_URL without a password in production, and takes one with a password (ACL user or not), or none outside production', () => {
      for (const value of ['redis://cache:6379', 'redis://default@cache:6379', 'rediss://cache:6380']) {
        expect(problems({ ...production, REDIS_URL: value })).toEqual([
          "REDIS_URL must carry a password in production (redis://:PASSWORD@host:6379, with Redis started with requirepass): an open Redis holds the rate limits, locks and sessions' events",
        ]);
      }
      for (const value of ['redis://:s3cret@cache:6379', 'redis://cryptovault:s3cret@cache:6379/0', 'rediss://:p%40ss@cache:6380']) {
        expect(problems({ ...production, REDIS_URL: value })).toEqual([]);
      }
      expect(loadConfig({ NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    });

    it('accepts a list of proxy addresses, subnets and names, or a hop count', () => {
      for (const value of ['loopback', 'loopback, uniquelocal', '10.0.0.0/8,192.168.1.1', '::1, fd00::/8', '10.0.0.0/255.0.0.0', '1', 'false']) {
        expect(problems({ ...production, TRUST_PROXY: value })).toEqual([]);
      }
      expect(loadConfig({ ...production, TRUST_PROXY: 'false' }).trustProxy).toBeUndefined();
    });

    it('refuses the test-only settings (the recurring-buys period, the payout crash) in production, and takes them in tests and development', () => {
      expect(problems({ ...production, PAYOUT_TEST_CRASH_AFTER_CREATE: 'true', PAYOUT_CLAIM_MS: '2000' })).toEqual([
        'PAYOUT_CLAIM_MS must be at least 60000 in production (got "2000")',
        'PAYOUT_TEST_CRASH_AFTER_CREATE is for tests only: refused in production',
      ]);
      expect(problems({ ...production, RECURRING_BUYS_TEST_PERIOD_MS: '2000' })).toEqual([
        'RECURRING_BUYS_TEST_PERIOD_MS is for tests and development only: refused in production, where recurring buys run daily, weekly or monthly',
      ]);
      expect(loadConfig({ NODE_ENV: 'test', RECURRING_BUYS_TEST_PERIOD_MS: '2000' }).recurringBuysTestPeriodMs).toBe(2000);
      expect(loadConfig({ NODE_ENV: 'test' }).recurringBuysTestPeriodMs).toBeUndefined();
    });

    it('takes the shortest cooldown of a repeating alert, one hour unless set, and refuses one outside 1 to 86400 seconds', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).alertMinCooldownSeconds).toBe(3600);
      expect(loadConfig({ NODE_ENV: 'test', ALERT_MIN_COOLDOWN_SECONDS: '2' }).alertMinCooldownSeconds).toBe(2);
      expect(problems({ ...production, ALERT_MIN_COOLDOWN_SECONDS: '0' })).toEqual([
        'ALERT_MIN_COOLDOWN_SECONDS must be a whole number from 1 to 86400 (got "0")',
      ]);
    });

    it('refuses a TRUST_PROXY range that covers every address in production, as it refuses true', () => {
      for (const value of ['0.0.0.0/0', 'loopback, ::/0', '10.0.0.0/0.0.0.0']) {
        expect(problems({ ...production, TRUST_PROXY: value }).join('\n')).toMatch(/trusts every address as a proxy/);
      }
      expect(problems({ TRUST_PROXY: '0.0.0.0/0' })).toEqual([]);
    });

    it('refuses TRUST_PROXY entries Express could not use, in every mode', () => {
      expect(problems({ TRUST_PROXY: 'loopback, proxy.internal, 10.0.0.0/40' })).toEqual([
        'TRUST_PROXY must be a hop count or a list of proxy addresses, subnets or loopback/linklocal/uniquelocal (not "proxy.internal", "10.0.0.0/40")',
      ]);
      expect(problems({ TRUST_PROXY: 'true' })).toEqual([]);
    });
  });

  it('defaults the confirmation lockout to 5 failures a session, 15 an account, 15-minute window and lock', () => {
    expect(loadConfig({})).toMatchObject({
      confirmationSessionMaxFailures: 5,
      confirmationAccountMaxFailures: 15,
      confirmationWindowMs: 900_000,
      confirmationLockMs: 900_000,
    });
    expect(() => loadConfig({ CONFIRMATION_SESSION_MAX_FAILURES: '5', CONFIRMATION_ACCOUNT_MAX_FAILURES: '5' })).toThrow(
      'CONFIRMATION_ACCOUNT_MAX_FAILURES (5) must be more than CONFIRMATION_SESSION_MAX_FAILURES (5)',
    );
  });

  it('holds a new withdrawal address 24 hours by default, takes decimal hours (tests run in seconds) and refuses nonsense', () => {
    expect(loadConfig({}).addressHoldMs).toBe(86_400_000);
    expect(loadConfig({ ADDRESS_HOLD_HOURS: '0.001' }).addressHoldMs).toBe(3_600);
    expect(loadConfig({ ADDRESS_HOLD_HOURS: '0' }).addressHoldMs).toBe(0);
    expect(() => loadConfig({ ADDRESS_HOLD_HOURS: '-1' })).toThrow('ADDRESS_HOLD_HOURS must be a non-negative decimal at most 720 (got "-1")');
    expect(() => loadConfig({ ADDRESS_HOLD_HOURS: '1000' })).toThrow('ADDRESS_HOLD_HOURS must be a non-negative decimal at most 720');
  });

  it('overrides a network’s block explorer or removes it, and refuses a template that could send the link elsewhere', () => {
    expect(loadConfig({}).blockExplorerTxUrls).toEqual({});
    expect(loadConfig({ BLOCK_EXPLORER_TX_URLS: 'ethereum=https://eth.blockscout.com/tx/{hash}, Tron=none' }).blockExplorerTxUrls).toEqual({
      ethereum: 'https://eth.blockscout.com/tx/{hash}',
      tron: null,
    });
    const problems = (raw: string): string[] => {
      try {
        loadConfig({ BLOCK_EXPLORER_TX_URLS: raw });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems('etherum=https://etherscan.io/tx/{hash}')).toEqual([expect.stringContaining('unknown network "etherum" (known: bitcoin, ethereum,')]);
    for (const unsafe of [
      'javascript:alert(1)//{hash}',
      'http://etherscan.io/tx/{hash}',
      'https://{hash}.evil.example/tx',
      'https://etherscan.io{hash}/',
      'https://etherscan.io@evil.example/tx/{hash}',
      'https://etherscan.io/tx/',
      'https://etherscan.io/tx/{hash}/{hash}',
      'https://etherscan.io/tx/"{hash}',
    ]) {
      expect([unsafe, problems(`ethereum=${unsafe}`)]).toEqual([unsafe, [expect.stringMatching(/^BLOCK_EXPLORER_TX_URLS: the ethereum explorer must /)]]);
    }
  });

  it('lets a step-up count for 5 minutes unless STEP_UP_TTL_SECONDS says otherwise (1 s to 1 h)', () => {
    expect(loadConfig({}).stepUpTtlSeconds).toBe(300);
    expect(loadConfig({ STEP_UP_TTL_SECONDS: '2' }).stepUpTtlSeconds).toBe(2);
    expect(() => loadConfig({ STEP_UP_TTL_SECONDS: '0' })).toThrow('STEP_UP_TTL_SECONDS');
  });

  it('keeps 20 PostgreSQL connections per instance and idle HTTP connections 65 s unless told otherwise, and refuses nonsense', () => {
    const c = loadConfig({});
    expect(c.databasePoolSize).toBe(20);
    expect(c.keepAliveTimeoutMs).toBe(65_000);
    const set = loadConfig({ DATABASE_POOL_SIZE: '8', KEEP_ALIVE_TIMEOUT_MS: '75000' });
    expect(set.databasePoolSize).toBe(8);
    expect(set.keepAliveTimeoutMs).toBe(75_000);
    expect(databaseTarget({ databaseUrl: 'postgres://cv@db/cv', dataDir: '', databasePoolSize: 8 }).options).toMatchObject({ poolSize: 8 });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0', KEEP_ALIVE_TIMEOUT_MS: 'forever' })).toThrow(/DATABASE_POOL_SIZE[\s\S]*KEEP_ALIVE_TIMEOUT_MS/);
  });

  it('accepts API-key request timestamps within 30 s unless API_KEY_WINDOW_SECONDS says otherwise (5 s to 5 min)', () => {
    expect(loadConfig({}).apiKeyWindowSeconds).toBe(30);
    expect(loadConfig({ API_KEY_WINDOW_SECONDS: '10' }).apiKeyWindowSeconds).toBe(10);
    expect(() => loadConfig({ API_KEY_WINDOW_SECONDS: '4' })).toThrow('API_KEY_WINDOW_SECONDS');
    expect(() => loadConfig({ API_KEY_WINDOW_SECONDS: '301' })).toThrow('API_KEY_WINDOW_SECONDS');
  });

  describe('keepDevelopmentJwtSecret', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cv-config-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps the development secret in DATA_DIR, so a restart signs with the same one (owner-only file)', () => {
      const first = keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir }));
      const second = keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir }));
      expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(second.jwtSecret).toBe(first.jwtSecret);
      expect(second).toMatchObject({ jwtSecretGenerated: false, jwtSecretFile: join(dir, 'jwt-secret') });
      expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first.jwtSecret);
      expect(statSync(join(dir, 'jwt-secret')).mode & 0o077).toBe(0);
    });

    it('leaves JWT_SECRET, the test profile and production alone', () => {
      const set = keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40) }));
      expect(set.jwtSecret).toBe('x'.repeat(40));
      expect(set.jwtSecretFile).toBeUndefined();
      const test = keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' }));
      expect(test.jwtSecretGenerated).toBe(true);
      expect(test.jwtSecretFile).toBeUndefined();
      expect(() => readFileSync(join(dir, 'jwt-secret'))).toThrow(/ENOENT/);
    });

    it('refuses a kept secret others can read, or a link to another file', () => {
      writeFileSync(join(dir, 'jwt-secret'), `${'k'.repeat(40)}\n`, { mode: 0o644 });
      chmodSync(join(dir, 'jwt-secret'), 0o644);
      expect(() => keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir }))).toThrow(/only it can read \(chmod 600\)/);
      rmSync(join(dir, 'jwt-secret'));
      writeFileSync(join(dir, 'elsewhere'), `${'k'.repeat(40)}\n`, { mode: 0o600 });
      symlinkSync(join(dir, 'elsewhere'), join(dir, 'jwt-secret'));
      expect(() => keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir }))).toThrow(/must be a regular file/);
    });

    it('refuses a kept secret too short to sign with, and says how to make a new one', () => {
      writeFileSync(join(dir, 'jwt-secret'), 'short\n', { mode: 0o600 });
      expect(() => keepDevelopmentJwtSecret(loadConfig({ DATA_DIR: dir }))).toThrow(/at least 32 characters \(delete it to make a new one\)/);
    });
  });
});
