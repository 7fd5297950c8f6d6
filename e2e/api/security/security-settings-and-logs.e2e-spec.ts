import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { type RunningApp, startApp, suiteEnv } from '../../support/app';
import { uniqueEmail } from '../../support/factories';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';

/** Whether `secret` appears in `text` as a whole token (a 6-digit code inside a longer number or id does not count). */
const appears = (text: string, secret: string): boolean => new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[^0-9A-Za-z]/g, '\\$&')}(?![0-9A-Za-z])`).test(text);

/**
 * Issue 14 item 7: production refuses the settings that make per-IP limits
 * spoofable (TRUST_PROXY=true) or send mail only to files and logs (no
 * SMTP_URL), and no one-time code, reset token or reset link is ever written
 * to the log, with SMTP or with the development outbox (which stays the
 * development channel). Logs at debug, so every request line is written too.
 */
describe('security: production settings and secrets in logs', () => {
  const suite = useAppSuite({ LOG_LEVEL: 'debug' });

  it('refuses to start in production with TRUST_PROXY=true, without SMTP_URL or with a REDIS_URL without a password, naming each, and exits non-zero', async () => {
    const { SMTP_URL: _smtp, ...base } = suiteEnv(suite.db.url);
    const env = {
      ...base,
      NODE_ENV: 'production',
      BCRYPT_COST: '12',
      ALLOW_SIMULATED_PRICES: 'true',
      PAYMENT_PROVIDER: 'nowpayments',
      NOWPAYMENTS_IPN_SECRET: 'ipn-secret-for-the-test',
      WEBHOOK_SECRET_KEY: 'ab'.repeat(32),
      TRUST_PROXY: 'true',
    };
    const outcome = await startApp(env, { timeoutMs: 20_000 }).then(
      async (app) => {
        await app.stop();
        return 'it started';
      },
      (e: Error) => e.message,
    );
    expect(outcome).toMatch(/^app exited with 1 before it was healthy/);
    const problems = outcome.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([
      "  - REDIS_URL must carry a password in production (redis://:PASSWORD@host:6379, with Redis started with requirepass): an open Redis holds the rate limits, locks and sessions' events",
      '  - TRUST_PROXY=true (any proxy) is refused in production: anyone could set X-Forwarded-For and pick the client IP of every per-IP limit; list your proxies (e.g. "loopback, 10.0.0.0/8") or give a hop count',
      '  - SMTP_URL is required in production: without it email (reset links, verification codes) only goes to the outbox files',
    ]);
  });

  it('never writes a verification code, a verification link or a reset token to the log when mail goes over SMTP', async () => {
    const { app, mail } = suite;
    const email = uniqueEmail('logs');
    await request(app.url).post('/api/auth/signup').send({ email, password: 'Log-Secret-Pass-1', name: 'Log Tester' }).expect(201);
    const verification = await mail.waitFor(email, (m) => /verification code/i.test(m.subject));
    const code = /\b(\d{6})\b/.exec(verification.text)![1];
    const linkToken = decodeURIComponent(/verify-email\?token=([^\s"&]+)/.exec(verification.text)![1]);
    // A wrong code first (a 400, logged at info), then the right one.
    await request(app.url)
      .post('/api/auth/verify-email')
      .send({ email, code: code === '000000' ? '111111' : '000000' })
      .expect(400);
    await request(app.url).post('/api/auth/verify-email').send({ email, code }).expect(200);

    await request(app.url).post('/api/auth/forgot-password').send({ email }).expect(200);
    const reset = await mail.waitFor(email, (m) => /reset your cryptovault password/i.test(m.subject));
    const resetToken = /Reset token: (\S+)/.exec(reset.text)![1];
    await request(app.url)
      .get(`/api/auth/validate-reset-token/${encodeURIComponent(resetToken)}`)
      .expect(200, { valid: true });
    await request(app.url).get(`/reset-password?token=${encodeURIComponent(resetToken)}`);
    await request(app.url).post('/api/auth/reset-password').send({ token: resetToken, newPassword: 'Log-Secret-Pass-2' }).expect(200);

    await waitFor(() => app.output().includes('mail sent'), 5_000, 'the mail log lines');
    const log = app.output();
    const found = Object.entries({ code, linkToken, resetToken })
      .filter(([, secret]) => appears(log, secret))
      .map(([name]) => name);
    expect(found).toEqual([]);
    expect(log.includes('/api/auth/validate-reset-token/[redacted]')).toBe(true);
  });

  it('never writes them to the log with the development outbox either; the outbox files keep them', async () => {
    let outboxApp: RunningApp | undefined;
    try {
      const { SMTP_URL: _smtp, ...env } = suiteEnv(suite.db.url, { LOG_LEVEL: 'debug' });
      outboxApp = await startApp(env);
      const app = outboxApp;
      const outbox = join(app.env.DATA_DIR, 'outbox');
      const mails = (to: string) =>
        (() => {
          try {
            return readdirSync(outbox).map((f) => JSON.parse(readFileSync(join(outbox, f), 'utf8')) as { to: string; subject: string; text: string });
          } catch {
            return [];
          }
        })().filter((m) => m.to === to);

      const email = uniqueEmail('outbox');
      await request(app.url).post('/api/auth/signup').send({ email, password: 'Log-Secret-Pass-1', name: 'Outbox Tester' }).expect(201);
      const verification = await waitFor(() => mails(email).find((m) => /verification code/i.test(m.subject)), 10_000, 'the verification mail in the outbox');
      const code = /\b(\d{6})\b/.exec(verification.text)![1];
      await request(app.url).post('/api/auth/verify-email').send({ email, code }).expect(200);
      await request(app.url).post('/api/auth/forgot-password').send({ email }).expect(200);
      const reset = await waitFor(() => mails(email).find((m) => /reset your cryptovault password/i.test(m.subject)), 10_000, 'the reset mail in the outbox');
      const resetToken = /Reset token: (\S+)/.exec(reset.text)![1];
      await request(app.url)
        .get(`/api/auth/validate-reset-token/${encodeURIComponent(resetToken)}`)
        .expect(200, { valid: true });

      await waitFor(() => (app.output().match(/mail written to outbox/g) ?? []).length >= 2, 5_000, 'the outbox log lines');
      const log = app.output();
      const found = Object.entries({ code, resetToken })
        .filter(([, secret]) => appears(log, secret))
        .map(([name]) => name);
      expect(found).toEqual([]);
    } finally {
      await outboxApp?.stop();
    }
  });
});
