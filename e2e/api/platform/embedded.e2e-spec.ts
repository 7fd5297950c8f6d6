import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { migrations } from '../../../backend/src/database/migrations';
import { migrationNames, pgliteInitdbTemplatePath, pgliteMigratedTemplatePath } from '../../../backend/src/database/pglite-template';
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

/** Every migration of this build, as TypeORM records them. */
const MIGRATIONS = migrationNames(migrations);

/**
 * Runs `body` (the body of an async function, `require` resolving from backend/dist) in a Node process of its own
 * and returns what it returns: PGlite cannot run inside jest's module sandbox (its dynamic `import()`).
 */
async function inBackend<T>(body: string): Promise<T> {
  const script = `require('reflect-metadata');(async () => {${body}})().then((r) => process.stdout.write('\\n' + JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: join(__dirname, '..', '..', '..', 'backend', 'dist'),
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as T;
}

/** The migrations recorded in a stopped app's embedded database. */
function recordedMigrations(dataDir: string): Promise<string[]> {
  return inBackend(`
    const { loadPglite } = require('./database/pglite-template');
    const db = await loadPglite().PGlite.create({ dataDir: ${JSON.stringify(join(dataDir, 'pglite'))} });
    try {
      return (await db.query('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name);
    } finally {
      await db.close();
    }`);
}

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
    // The build made the template of this migration set: the first boot copied it in and found no migration pending.
    expect(app.output()).toContain(`connected to pglite:${join(env.DATA_DIR, 'pglite')} (new, from the migrated template)`);
    expect(app.output()).not.toContain('applied migrations');
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
    // The session of the first run is still signed in: the same secret, kept in DATA_DIR, signs and verifies. The log
    // line says so; the JSON log lines can reach the output after /health answers and after the banner (seen once).
    const kept = `development secret kept in ${join(env.DATA_DIR, 'jwt-secret')}`;
    const restarted = app;
    await waitFor(() => restarted.output().includes(kept), 10_000, `"${kept}" in the output`);
    const me = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    expect(me.body.user).toMatchObject({ email, role: 'admin' });
    const refreshed = await request(app.url).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const again = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
    expect(again.body.user).toMatchObject({ email, emailVerified: true, role: 'admin' });
    expect(app.output()).not.toContain('(new, from');

    await app.stop();
    app = undefined;
    expect(await recordedMigrations(env.DATA_DIR)).toEqual(MIGRATIONS);
  }, 300_000);
});

describe('the embedded database templates (database/pglite-template.ts)', () => {
  const scratch: string[] = [];
  const temp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  interface FirstBoot {
    seededFrom: string | null;
    applied: string[];
    recorded: string[];
    assets: unknown[];
    columns: unknown[];
    rows: unknown[];
  }

  /** What a first boot on a new DATA_DIR does with the templates in `cache` (open it, seeded; migrate), and what it holds then. */
  function firstBoot(cache: string): Promise<FirstBoot> {
    const dataDir = join(temp('cv-template-boot-'), 'pglite');
    return inBackend(`
      const { DataSource } = require('typeorm');
      const { commonOptions } = require('./database/data-source-options');
      const { runMigrations } = require('./database/migrate');
      const { migrations } = require('./database/migrations');
      const { createPgliteDriver } = require('./database/pglite-driver');
      const { migrationNames, pgliteTemplateFor } = require('./database/pglite-template');
      const names = migrationNames(migrations);
      const driver = createPgliteDriver(${JSON.stringify(dataDir)}, 0, (d) => pgliteTemplateFor(d, names, ${JSON.stringify(cache)}));
      const ds = await new DataSource({ ...commonOptions, driver }).initialize();
      try {
        const applied = await runMigrations(ds, true);
        const recorded = (await ds.query('SELECT name FROM migrations ORDER BY id')).map((r) => r.name);
        // created_at left out: the clock when the migration ran (for a template, its making), read by nothing.
        const assets = await ds.query(
          'SELECT symbol, coingecko_id, coincap_id, binance_symbol, name, decimals, enabled, rank, image_url FROM assets ORDER BY symbol',
        );
        const columns = await ds.query(
          "SELECT table_name, column_name, data_type, column_default, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
        );
        // Rows in any other table: none (no migration makes users, accounts, settings or secrets).
        const rows = await ds.query(
          "SELECT * FROM (SELECT table_name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', table_name), false, true, '')))[1]::text::int AS n " +
            "FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('assets', 'migrations')) t WHERE n > 0",
        );
        return { seededFrom: driver.seededFrom() ?? null, applied, recorded, assets, columns, rows };
      } finally {
        await ds.destroy();
      }`);
  }

  /** The build's maker (cli/pglite-template.ts) on the templates in `cache`. */
  function ensureTemplates(
    cache: string,
    sourcesHash: string,
  ): Promise<{ initdb: { created: boolean }; migrated: { path: string; created: boolean; applied: string[] } }> {
    return inBackend(`
      const { ensurePgliteTemplates } = require('./database/pglite-migrated-template');
      return ensurePgliteTemplates({ dir: ${JSON.stringify(cache)}, sourcesHash: ${JSON.stringify(sourcesHash)} });`);
  }

  it("never unpacks a template of another migration set: a first boot takes the initdb one and runs every migration; the maker then makes this set's, whose first boot finds nothing pending and the same schema and catalogue", async () => {
    // The build's templates (backend/scripts/build.mjs), copied: a template of another set is planted beside them.
    const built = pgliteMigratedTemplatePath(MIGRATIONS);
    expect(existsSync(pgliteInitdbTemplatePath()) && existsSync(built)).toBe(true);
    const cache = temp('cv-template-cache-');
    copyFileSync(pgliteInitdbTemplatePath(), pgliteInitdbTemplatePath(cache));
    // This build's migrated cluster under the name of the set without the last migration (a build before it was
    // added): were it unpacked, the boot would find nothing pending.
    const stale = pgliteMigratedTemplatePath(MIGRATIONS.slice(0, -1), cache);
    cpSync(built, stale, { recursive: true });

    const fallback = await firstBoot(cache);
    expect(fallback).toMatchObject({ seededFrom: 'initdb', applied: MIGRATIONS, recorded: MIGRATIONS, rows: [] });
    expect(fallback.assets).toHaveLength(20);

    const made = await ensureTemplates(cache, 'sources-1');
    expect(made.initdb.created).toBe(false);
    expect(made.migrated).toMatchObject({ path: pgliteMigratedTemplatePath(MIGRATIONS, cache), created: true, applied: MIGRATIONS });
    expect(existsSync(stale)).toBe(false);

    const fromTemplate = await firstBoot(cache);
    expect(fromTemplate).toMatchObject({ seededFrom: 'migrated', applied: [], recorded: MIGRATIONS, rows: [] });
    expect(fromTemplate.assets).toEqual(fallback.assets);
    expect(fromTemplate.columns).toEqual(fallback.columns);

    // The same migration sources: kept. A migration edited under the same name (other sources): made again.
    expect((await ensureTemplates(cache, 'sources-1')).migrated.created).toBe(false);
    expect((await ensureTemplates(cache, 'sources-2')).migrated.created).toBe(true);
  }, 300_000);
});
