import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { uniqueEmail } from '../../support/factories';
import { waitFor } from '../../support/wait';

interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: string;
}

function outbox(dataDir: string): OutboxMail[] {
  const dir = join(dataDir, 'outbox');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OutboxMail);
}

async function codeFromOutbox(dataDir: string, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = outbox(dataDir).find((m) => m.to === email && /verification code/i.test(m.subject));
    const code = mail && /\b(\d{6})\b/.exec(mail.text)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no verification mail to ${email} in ${dataDir}/outbox`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Not an expectation of speed (bench/cold-start.mjs measures that): the point past which a boot counts as hung. */
const BOOT_DEADLINE_MS = 120_000;

describe('embedded default: PGlite, in-process cache and the outbox', () => {
  // No DATABASE_URL and REDIS_URL '' (unset): PGlite in DATA_DIR/pglite, in-process twins, mail to DATA_DIR/outbox.
  // Development profile with no ADMIN_SETUP_TOKEN: the boot logs a random one while no admin exists.
  // No JWT_SECRET: development keeps one in DATA_DIR, so sessions survive a restart.
  // FX_SOURCE '' (unset): the reference rates default of `npm start`.
  const env = suiteEnv(undefined, { REDIS_URL: '', NODE_ENV: 'development', ADMIN_SETUP_TOKEN: '', JWT_SECRET: '', FX_SOURCE: '' });
  let app: RunningApp | undefined;

  afterAll(async () => {
    await app?.stop();
  });

  // How fast the embedded default boots (first boot: unpack the PGlite cluster, run every migration;
  // then again on the same data) is a measurement, not a test: `node bench/cold-start.mjs` (README,
  // bench/RESULTS.md). Here the generous health deadline only tells "never came up" from "slow".
  it('boots healthy, signs up with the code from the outbox, and boots again on the same data keeping the account and its session', async () => {
    app = await startApp(env, { timeoutMs: BOOT_DEADLINE_MS });
    await request(app.url).get('/health').expect(200, { status: 'ok' });
    const health = await request(app.url).get('/api/health').expect(200);
    expect(health.body.components.database.kind).toBe('pglite');
    // Offline and on simulated prices, display-currency rates come from the bundled ECB sample day.
    const fx = await waitFor(
      async () => {
        const body = (await request(app!.url).get('/api/fx/rates').expect(200)).body as { date: string | null };
        return body.date !== null && body;
      },
      10_000,
      'the sample reference rates',
    );
    expect(fx).toMatchObject({ source: 'sample', date: '2024-06-28', rates: { USD: '1', EUR: '0.9341429239', GBP: '0.7906398879' } });

    const email = uniqueEmail('embedded');
    const password = 'Embedded-Start-7';
    await request(app.url).post('/api/auth/signup').send({ email, password, name: 'Embedded User' }).expect(201);
    const code = await codeFromOutbox(env.DATA_DIR, email);
    await request(app.url).post('/api/auth/verify-email').send({ email, code }).expect(200);
    const first = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
    await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);

    // The boot banner is plain text: where it runs and, with no admin yet, the first-admin command as a shell line
    // that works when pasted (the address put in for the example one). Nest's route listing is not in it (debug).
    const output = app.output();
    expect(output).toContain(`is running: ${app.url.replace('127.0.0.1', 'localhost')}`);
    expect(output).toContain(`Mail      not sent: written to ${join(env.DATA_DIR, 'outbox')}`);
    expect(output).not.toMatch(/Mapped \{|dependencies initialized/);
    const command = /^ {4}(curl -X POST .*\/api\/admin\/setup-first-admin)$/m.exec(output)?.[1];
    expect(command).toBeDefined();
    const pasted = execFileSync('bash', ['-c', `${command!.replace('you@example.com', email)} --silent --show-error --fail-with-body`], { encoding: 'utf8' });
    expect(JSON.parse(pasted).user).toMatchObject({ email, role: 'admin' });

    await app.stop();
    app = await startApp(env, { timeoutMs: BOOT_DEADLINE_MS });
    expect(app.output()).not.toMatch(/No admin yet/);
    // With an admin, the banner still gives this start's setup token: a single admin making a second one needs it.
    expect(app.output()).toMatch(/Setup token \(random per start; set ADMIN_SETUP_TOKEN to fix it\): [A-Za-z0-9_-]{16,}/);
    // The session of the first run is still signed in: the same secret, kept in DATA_DIR, signs and verifies.
    expect(app.output()).toContain(`development secret kept in ${join(env.DATA_DIR, 'jwt-secret')}`);
    const me = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    expect(me.body.user).toMatchObject({ email, role: 'admin' });
    const refreshed = await request(app.url).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const again = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
    expect(again.body.user).toMatchObject({ email, emailVerified: true, role: 'admin' });
  }, 300_000);
});
