import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createEmptyDatabase, createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, stepUp, TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

const BACKEND = join(__dirname, '..', '..', '..', 'backend');
const CLI = (name: string): string => join(BACKEND, 'dist', 'cli', `${name}.js`);

/** An age key pair made by the age-encryption package itself (ESM: in a child node, not jest's CommonJS runtime). */
function ageKeyPair(dir: string, name: string): { identityFile: string; recipient: string } {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { generateX25519Identity, identityToRecipient } from 'age-encryption'; const id = await generateX25519Identity(); console.log(id); console.log(await identityToRecipient(id));",
    ],
    { cwd: BACKEND, encoding: 'utf8' },
  );
  const [identity, recipient] = out.trim().split('\n');
  const identityFile = join(dir, `${name}.key`);
  writeFileSync(identityFile, `# created: by the backup e2e\n${identity}\n`, { mode: 0o600 });
  return { identityFile, recipient };
}

interface CliRun {
  code: number;
  output: string;
}

/** Runs one of the CLIs (backup, restore, reconcile) the way an operator does, with only the environment given. */
function runCli(name: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI(name), ...args],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** The archive a backup just wrote, and its manifest beside it. */
function latestArchive(dir: string): { archive: string; manifest: { ledgerTotals: Record<string, string>; createdAt: string; dump: { sha256: string } } } {
  const name = readdirSync(dir)
    .filter((f) => f.endsWith('.age'))
    .sort()
    .pop();
  if (!name) throw new Error(`no archive in ${dir}`);
  const archive = join(dir, name);
  return { archive, manifest: JSON.parse(readFileSync(archive.replace(/\.age$/, '.manifest.json'), 'utf8')) };
}

/** A copy of the archive with one byte flipped in the middle (and the manifest beside it copied unchanged). */
function tamperedCopy(archive: string, dir: string): string {
  const copy = join(dir, 'cryptovault-tampered.age');
  const bytes = readFileSync(archive);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  writeFileSync(copy, bytes);
  copyFileSync(archive.replace(/\.age$/, '.manifest.json'), copy.replace(/\.age$/, '.manifest.json'));
  return copy;
}

/** Funds `alice` with dollars and has her buy bitcoin: a ledger with trades, fees and two assets to back up. */
async function seed(app: RunningApp, mail: SmtpSink): Promise<{ alice: TestUser; bob: TestUser; balances: Record<string, string> }> {
  const admin = await createUser(app, mail, { admin: true });
  const [alice, bob] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
  await fund(app, admin, alice, 'USD', '25000');
  await waitForPrices(app);
  await request(app.url).post('/api/orders').set(alice.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.05' }).expect(201);
  const balances = {
    USD: (await balanceOf(app, alice, 'USD')).total,
    BTC: (await balanceOf(app, alice, 'BTC')).total,
  };
  expect(balances.BTC).toBe('0.05000000');
  return { alice, bob, balances };
}

/** Bob closes his (empty) account through the app: his personal data is erased and the erasure journalled in BACKUP_DIR. */
async function closeAccount(app: RunningApp, bob: TestUser): Promise<void> {
  await stepUp(app, bob);
  const res = await request(app.url).post('/api/account/close').set(bob.auth).send({ confirmEmail: bob.email });
  if (res.status !== 200) throw new Error(`closing ${bob.email}: ${res.status} ${JSON.stringify(res.body)}\n${app.output().slice(-3000)}`);
}

/** After the restore: Alice signs in with her password and sees what she had; a closed account stays closed. */
async function expectRestoredForUsers(app: RunningApp, alice: TestUser, balances: Record<string, string>, closed?: TestUser): Promise<void> {
  const login = await request(app.url).post('/api/auth/login').send({ email: alice.email, password: alice.password }).expect(200);
  const auth = { Authorization: `Bearer ${login.body.accessToken as string}` };
  const wallet = await request(app.url).get('/api/wallet/balance').set(auth).expect(200);
  const totals = Object.fromEntries((wallet.body.wallet.balances as { asset: string; total: string }[]).map((b) => [b.asset, b.total]));
  expect(totals).toMatchObject(balances);
  if (closed) await request(app.url).post('/api/auth/login').send({ email: closed.email, password: closed.password }).expect(401);
}

describe('backup and restore (PostgreSQL): backup, wipe, restore, reconcile, sign in', () => {
  const work = mkdtempSync(join(tmpdir(), 'cv-backup-'));
  const backupDir = join(work, 'backups');
  let mail: SmtpSink;
  let source: TestDatabase | undefined;
  let target: TestDatabase | undefined;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    [source, target, mail] = await Promise.all([createTestDatabase(), createEmptyDatabase(), SmtpSink.start()]);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await source?.drop();
    await target?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('restores a wiped database from its encrypted archive only with the right key and untouched, with the ledger, the users and the erasures since', async () => {
    const key = ageKeyPair(work, 'operator');
    const stranger = ageKeyPair(work, 'stranger');
    const env = suiteEnv(source!.url, { SMTP_URL: mail.url, BACKUP_DIR: backupDir });
    app = await startApp(env);
    const { alice, bob, balances } = await seed(app, mail);

    // The backup runs beside the live app (a snapshot shared by the manifest and pg_dump).
    const backup = await runCli('backup', [], { DATABASE_URL: source!.url, BACKUP_DIR: backupDir, BACKUP_AGE_RECIPIENTS: key.recipient });
    expect(backup).toEqual({ code: 0, output: expect.any(String) });
    const { archive, manifest } = latestArchive(backupDir);
    expect(manifest.ledgerTotals).toEqual({ BTC: '0.05', USD: expect.stringMatching(/^\d+\.\d+$/) });
    // Encrypted: neither the dump's magic nor any user's address is in the file.
    const bytes = readFileSync(archive);
    expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
    expect(bytes.includes(Buffer.from(alice.email))).toBe(false);

    // After the backup, Bob closes his account; then the database is lost.
    await closeAccount(app, bob);
    await app.stop();
    app = undefined;
    await source!.drop();
    source = undefined;

    const restoreEnv = { DATABASE_URL: target!.url, BACKUP_DIR: backupDir };
    const wrongKey = await runCli('restore', [archive, '--identity', stranger.identityFile], restoreEnv);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toContain('restore refused: the identity does not open this archive (wrong key');
    const tampered = await runCli('restore', [tamperedCopy(archive, work)], { ...restoreEnv, BACKUP_AGE_IDENTITY_FILE: key.identityFile });
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain('restore refused: the archive is damaged or was tampered with');
    // Nothing of either reached the database.
    expect(await target!.query(`SELECT to_regclass('public.users') AS t`)).toEqual([{ t: null }]);

    const restored = await runCli('restore', [archive], { ...restoreEnv, BACKUP_AGE_IDENTITY_FILE: key.identityFile });
    expect(restored.output).toContain('reconcile: ledger and balances agree');
    expect(restored.output).toContain('ledger totals equal the manifest');
    expect(restored.output).toMatch(/erasures replayed from .*erasures\.jsonl: 1\n/);
    expect(restored.code).toBe(0);

    // Independently of the restore's own checks: reconcile is clean and users hold what the manifest says.
    expect(await runReconcile(target!.url)).toMatchObject({ code: 0 });
    const held = await target!.query<{ asset: string; amount: string }>(
      `SELECT asset, trim_scale(sum(available + locked))::text AS amount FROM balances WHERE account LIKE 'user:%' GROUP BY asset HAVING sum(available + locked) <> 0`,
    );
    expect(Object.fromEntries(held.map((r) => [r.asset, r.amount]))).toEqual(manifest.ledgerTotals);
    // Bob's closure, made after the backup, was replayed: his address and name are gone again.
    const [bobRow] = await target!.query<{ email: string; name: string }>(`SELECT email, name FROM users WHERE id = $1`, [bob.id]);
    expect(bobRow.email).not.toBe(bob.email);
    expect(bobRow.email).toMatch(/@erased\.invalid$/);
    expect(bobRow.name).not.toBe('Test User');

    // A restore into a database that is no longer empty is refused.
    const again = await runCli('restore', [archive], { ...restoreEnv, BACKUP_AGE_IDENTITY_FILE: key.identityFile });
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/restore refused: .* is not empty/);

    app = await startApp({ ...env, DATABASE_URL: target!.url });
    await expectRestoredForUsers(app, alice, balances, bob);
  }, 300_000);
});

describe('backup and restore (embedded default): PGlite with the app stopped', () => {
  const work = mkdtempSync(join(tmpdir(), 'cv-backup-embedded-'));
  const backupDir = join(work, 'backups');
  let mail: SmtpSink;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    mail = await SmtpSink.start();
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up the stopped embedded database, refuses a wrong key and a tampered archive, and restores it into an empty DATA_DIR', async () => {
    const key = ageKeyPair(work, 'operator');
    const stranger = ageKeyPair(work, 'stranger');
    // No DATABASE_URL and no Redis: PGlite in DATA_DIR/pglite, in-process twins.
    const env = suiteEnv(undefined, { REDIS_URL: '', SMTP_URL: mail.url, BACKUP_DIR: backupDir });
    const cliEnv = { DATA_DIR: env.DATA_DIR, BACKUP_DIR: backupDir, BACKUP_AGE_RECIPIENTS: key.recipient };
    app = await startApp(env, { timeoutMs: 120_000 });
    const { alice, balances } = await seed(app, mail);

    // While the app has the database open, the backup is refused (a second session would not see a consistent state).
    const whileOpen = await runCli('backup', [], cliEnv);
    expect(whileOpen.code).toBe(1);
    expect(whileOpen.output).toContain('is open: stop CryptoVault first');

    await app.stop();
    app = undefined;
    const backup = await runCli('backup', [], cliEnv);
    expect(backup).toEqual({ code: 0, output: expect.any(String) });
    const { archive, manifest } = latestArchive(backupDir);
    expect(manifest.ledgerTotals).toMatchObject({ BTC: '0.05' });

    // The data directory is lost. (Erasures since the backup are replayed by the same code as on PostgreSQL, above.)
    rmSync(join(env.DATA_DIR, 'pglite'), { recursive: true, force: true });

    const wrongKey = await runCli('restore', [archive, '--identity', stranger.identityFile], cliEnv);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toContain('wrong key');
    const tampered = await runCli('restore', [tamperedCopy(archive, work), '--identity', key.identityFile], cliEnv);
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain('the archive is damaged or was tampered with');
    expect(readdirSync(env.DATA_DIR)).not.toContain('pglite');

    const restored = await runCli('restore', [archive, '--identity', key.identityFile], cliEnv);
    expect(restored.output).toContain('reconcile: ledger and balances agree');
    expect(restored.output).toContain('ledger totals equal the manifest');
    expect(restored.code).toBe(0);

    app = await startApp(env, { timeoutMs: 120_000 });
    await expectRestoredForUsers(app, alice, balances);
  }, 400_000);
});
