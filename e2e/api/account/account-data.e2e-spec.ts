import Decimal from 'decimal.js';
import { unzipSync, strFromU8 } from 'fflate';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EXPORT_TABLES, NOT_PERSONAL_TABLES, SECRET_COLUMNS } from '../../../backend/src/account/account-export-rules';
import { readErasures } from '../../../backend/src/account/erasure/erasure-journal';
import { useAppSuite } from '../../support/suite';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

const backupDir = mkdtempSync(join(tmpdir(), 'cv-account-data-'));
afterAll(() => rmSync(backupDir, { recursive: true, force: true }));

/** A response body read as bytes (supertest parses only text and JSON by itself). */
const bytes = (res: request.Response, done: (err: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

interface ExportJson {
  userId: string;
  omittedColumns: Record<string, string[]>;
  tables: Record<string, Record<string, unknown>[]>;
}

describe('your data: export and account closure', () => {
  const suite = useAppSuite({
    SIMULATED_VOLATILITY: '0',
    WITHDRAWAL_DUAL_APPROVAL_USD: '1000000',
    ACCOUNT_EXPORT_INTERVAL_MS: '200',
    ACCOUNT_EXPORTS_PER_DAY: '2',
    BACKUP_DIR: backupDir,
  });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  const api = () => request(suite.app.url);

  /** Some of everything a customer leaves behind: money in and a trade, an alert, a starred asset, a notification. */
  async function active(user: TestUser): Promise<void> {
    await fund(suite.app, admin, user, 'USD', '500');
    await api().post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '50' }).expect(201);
    await api().post('/api/orders').set(user.auth).send({ symbol: 'ETH', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '100' }).expect(201);
    await api().post('/api/alerts').set(user.auth).send({ symbol: 'BTC', condition: 'above', targetPrice: '9000000' }).expect(201);
    await api().put('/api/watchlist/ETH').set(user.auth).expect(200);
  }

  /**
   * The rows of `user` in every table, read here independently of the export's own rules: by `user_id`, or through
   * the row they belong to (a session, a deposit, a withdrawal, the user's ledger account).
   */
  async function rowsOf(userId: string): Promise<Record<string, number>> {
    const tables = await suite.db.query<{ table_name: string; has_user_id: boolean }>(
      `SELECT t.table_name, bool_or(c.column_name = 'user_id') AS has_user_id
         FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name)
        WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' GROUP BY t.table_name`,
    );
    const via: Record<string, string> = {
      users: 'id = $1',
      refresh_tokens: 'session_id IN (SELECT id FROM sessions WHERE user_id = $1)',
      deposit_events: 'deposit_id IN (SELECT id FROM deposits WHERE user_id = $1)',
      withdrawal_approvals: 'withdrawal_id IN (SELECT id FROM withdrawals WHERE user_id = $1)',
      withdrawal_payouts: 'withdrawal_id IN (SELECT id FROM withdrawals WHERE user_id = $1)',
      withdrawal_payout_events: 'withdrawal_id IN (SELECT id FROM withdrawals WHERE user_id = $1)',
      ledger_entries: `account = 'user:' || $1`,
      balances: `account = 'user:' || $1`,
      ledger_journals: `user_id = $1 OR id IN (SELECT journal_id FROM ledger_entries WHERE account = 'user:' || $1)`,
    };
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const where = via[t.table_name] ?? (t.has_user_id ? 'user_id = $1' : undefined);
      if (!where) continue;
      const [{ n }] = await suite.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.table_name}" WHERE ${where}`, [userId]);
      counts[t.table_name] = n;
    }
    return counts;
  }

  it('knows every table of the schema: exported as the user’s, or holding no one’s data', async () => {
    const tables = (
      await suite.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      )
    ).map((t) => t.table_name);
    const known = new Set([...EXPORT_TABLES.map((t) => t.table), ...NOT_PERSONAL_TABLES]);
    expect(tables.filter((t) => !known.has(t)).sort()).toEqual([]);
  });

  it('exports every row of every table for that user, nothing of another user and no secret, to its owner only', async () => {
    const alice = await createUser(suite.app, suite.mail, { twoFactor: true, name: 'Alice Exporter' });
    const bob = await createUser(suite.app, suite.mail, { name: 'Bob Bystander' });
    await active(alice);
    await active(bob);

    // A stolen access token alone cannot start one: the session must have confirmed it is its owner.
    const unconfirmed = await api().post('/api/account/exports').set(alice.auth).expect(401);
    expect(unconfirmed.body.error.code).toBe('STEP_UP_REQUIRED');
    await stepUp(suite.app, alice);
    const started = await api().post('/api/account/exports').set(alice.auth).expect(202);
    expect(started.body).toMatchObject({ status: 'pending', progress: 0 });
    const id = started.body.id as string;
    const again = await api().post('/api/account/exports').set(alice.auth).expect(409);
    expect(again.body.error.code).toBe('EXPORT_IN_PROGRESS');

    const ready = await waitFor(
      async () => {
        const res = await api().get('/api/account/exports').set(alice.auth).expect(200);
        const item = (res.body.items as { id: string; status: string }[]).find((x) => x.id === id);
        return item?.status === 'ready' ? item : undefined;
      },
      60_000,
      'the export to be ready',
    );
    expect(ready).toMatchObject({ progress: 100, sizeBytes: expect.any(Number), expiresAt: expect.any(String) });
    // The notice comes after the export is made (the mail after its in-app row): the rows it holds are those before.
    const mail = await suite.mail.waitFor(alice.email, (m) => m.subject === 'Your data export is ready', 20_000);
    expect(mail.text).toContain('/settings/data');
    const expected = await rowsOf(alice.id);

    // Nobody else sees it or gets a link to it: not another user, not an admin.
    expect((await api().get('/api/account/exports').set(bob.auth).expect(200)).body.items).toEqual([]);
    await stepUp(suite.app, bob);
    expect((await api().post(`/api/account/exports/${id}/link`).set(bob.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    await stepUp(suite.app, admin);
    await api().post(`/api/account/exports/${id}/link`).set(admin.auth).expect(404);

    const link = await api().post(`/api/account/exports/${id}/link`).set(alice.auth).expect(200);
    const url = link.body.url as string;
    // The link is the owner's session's: another user's token with it is refused.
    expect((await api().get(url).set(bob.auth).expect(403)).body.error.code).toBe('DOWNLOAD_LINK_INVALID');
    expect(
      (
        await api()
          .get(url.replace(/token=[^&]+/, 'token=1.abc'))
          .set(alice.auth)
          .expect(403)
      ).body.error.code,
    ).toBe('DOWNLOAD_LINK_INVALID');
    // A token of other bytes than characters (its length in characters matching) is refused the same way, never a 500.
    const mac = new URL(url, 'http://x').searchParams.get('token')!.split('.')[1];
    const [exp] = new URL(url, 'http://x').searchParams.get('token')!.split('.');
    expect(
      (
        await api()
          .get(url.replace(/token=[^&]+/, `token=${encodeURIComponent(`${exp}.${'é'.repeat(mac.length)}`)}`))
          .set(alice.auth)
          .expect(403)
      ).body.error.code,
    ).toBe('DOWNLOAD_LINK_INVALID');
    const zip = await api().get(url).set(alice.auth).buffer(true).parse(bytes).expect(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toMatch(/^attachment; filename="cryptovault-data-\d{4}-\d{2}-\d{2}\.zip"$/);

    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    const names = Object.keys(files);
    expect(names).toEqual(expect.arrayContaining(['README.txt', 'data.json', 'tables/users.csv', 'tables/ledger_entries.csv']));
    const json = JSON.parse(strFromU8(files['data.json'])) as ExportJson;
    expect(json.userId).toBe(alice.id);

    // Every row of the user, table by table (the notice that the export is ready came after it was made).
    const exportedCounts = Object.fromEntries(Object.entries(json.tables).map(([t, rows]) => [t, rows.length]));
    expect(exportedCounts).toEqual({ ...expected, notifications: expected.notifications - 1 });
    expect(json.tables.users).toEqual([expect.objectContaining({ id: alice.id, email: alice.email, name: 'Alice Exporter' })]);
    expect(json.tables.orders.length).toBe(2);
    expect(json.tables.alerts).toEqual([expect.objectContaining({ symbol: 'BTC', target_price: '9000000.00000000' })]);
    expect(json.tables.watchlist_items).toEqual([expect.objectContaining({ symbol: 'ETH' })]);
    for (const e of json.tables.ledger_entries) expect(e.account).toBe(`user:${alice.id}`);
    // Admins who acted on the account (funding it) appear in its audit rows without their IP address or browser.
    const staffRows = json.tables.audit_logs.filter((r) => r.actor_id !== null && r.actor_id !== alice.id);
    expect(staffRows.length).toBeGreaterThan(0);
    expect(staffRows.every((r) => r.ip === null && r.user_agent === null)).toBe(true);
    for (const [table, rows] of Object.entries(json.tables)) {
      for (const row of rows) if ('user_id' in row) expect({ table, user_id: row.user_id }).toEqual({ table, user_id: alice.id });
    }
    // One CSV per table, with a header and the same rows.
    for (const [table, rows] of Object.entries(json.tables)) {
      const csv = strFromU8(files[`tables/${table}.csv`]);
      expect(csv.startsWith(Object.keys(rows[0] ?? {}).join(',') || '')).toBe(true);
    }

    // Nothing of Bob's anywhere in the zip.
    const everything = names.map((n) => strFromU8(files[n])).join('\n');
    expect(everything).not.toContain(bob.id);
    expect(everything).not.toContain(bob.email);
    expect(everything).not.toContain('Bob Bystander');

    // No secret material: not the columns, not their values.
    for (const [table, columns] of Object.entries(SECRET_COLUMNS)) {
      const header = files[`tables/${table}.csv`] ? strFromU8(files[`tables/${table}.csv`]).split('\r\n')[0].split(',') : [];
      for (const column of columns) {
        expect({ table, column, inJson: (json.tables[table] ?? []).some((r) => column in r), inCsv: header.includes(column) }).toEqual({
          table,
          column,
          inJson: false,
          inCsv: false,
        });
      }
    }
    expect(json.omittedColumns.users).toEqual(expect.arrayContaining(['password_hash', 'two_factor_secret']));
    const [secrets] = await suite.db.query<{ password_hash: string; two_factor_secret: string }>(
      `SELECT password_hash, two_factor_secret FROM users WHERE id = $1`,
      [alice.id],
    );
    const hashes = await suite.db.query<{ h: string }>(
      `SELECT code_hash AS h FROM backup_codes WHERE user_id = $1
        UNION ALL SELECT token_hash FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)
        UNION ALL SELECT token_hash FROM one_time_tokens WHERE user_id = $1`,
      [alice.id],
    );
    expect(hashes.length).toBeGreaterThan(10);
    for (const secret of [secrets.password_hash, secrets.two_factor_secret, alice.password, alice.totpSecret!, ...hashes.map((x) => x.h)]) {
      expect(everything.includes(secret)).toBe(false);
    }

    // Audited; a few a day (ACCOUNT_EXPORTS_PER_DAY=2 here): the third of the day is 429 with Retry-After.
    const audited = await suite.db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'account.%' ORDER BY id`, [
      alice.id,
    ]);
    expect(audited.map((a) => a.action)).toEqual(['account.export_requested', 'account.export_downloaded']);
    await api().post('/api/account/exports').set(alice.auth).expect(202);
    await waitFor(async () => (await api().get('/api/account/exports').set(alice.auth)).body.items[0]?.status === 'ready', 60_000, 'the second export');
    const third = await api().post('/api/account/exports').set(alice.auth).expect(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses to close with a balance, closes after everything is withdrawn; sign-in then fails and the ledger still reconciles', async () => {
    const carol: Withdrawer = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC' });
    const rules = await api().get('/api/wallet/withdrawal-rules').set(carol.auth).expect(200);
    const fee = (rules.body.rules.assets as { asset: string; fee: string }[]).find((a) => a.asset === 'BTC')!.fee;
    const amount = '0.002';
    await fund(suite.app, admin, carol, 'BTC', new Decimal(amount).plus(fee).toFixed());
    await api().put('/api/watchlist/BTC').set(carol.auth).expect(200);
    await api().post('/api/alerts').set(carol.auth).send({ symbol: 'BTC', condition: 'above', targetPrice: '9000000' }).expect(201);

    const status = await api().get('/api/account/closure').set(carol.auth).expect(200);
    expect(status.body).toEqual({ canClose: false, blockers: [{ kind: 'balance', asset: 'BTC', available: expect.any(String), locked: '0.00000000' }] });

    const close = () => api().post('/api/account/close').set(carol.auth);
    expect((await close().send({ confirmEmail: carol.email }).expect(401)).body.error.code).toBe('STEP_UP_REQUIRED');
    await stepUp(suite.app, carol);
    const wrong = await close().send({ confirmEmail: 'someone@example.com' }).expect(400);
    expect(wrong.body.error.details).toEqual([{ field: 'confirmEmail', message: 'This is not the email address of your account' }]);
    const refused = await close().send({ confirmEmail: carol.email.toUpperCase() }).expect(409);
    expect(refused.body.error).toMatchObject({
      code: 'ACCOUNT_NOT_EMPTY',
      details: [{ field: 'balances.BTC', message: 'Withdraw or sell this balance first' }],
    });

    // Withdraw everything: while it is under way the withdrawal blocks; once sent, nothing does.
    const created = await api()
      .post('/api/wallet/withdraw')
      .set(carol.auth)
      .send({ asset: 'BTC', amount, addressId: carol.addressId, twoFactorCode: carol.backupCodes!.shift() })
      .expect(201);
    const wid = created.body.withdrawal.id as string;
    const pending = await close().send({ confirmEmail: carol.email }).expect(409);
    expect(pending.body.error.details).toEqual(
      expect.arrayContaining([{ field: 'withdrawals', message: 'Wait for your withdrawals to complete, or cancel them, first' }]),
    );
    await api().post(`/api/admin/withdrawals/${wid}/approve`).set(admin.auth).expect(200);
    await api()
      .post(`/api/admin/withdrawals/${wid}/complete`)
      .set(admin.auth)
      .send({ txHash: 'a'.repeat(64) })
      .expect(200);
    const left = await balanceOf(suite.app, carol, 'BTC');
    expect([new Decimal(left.available).isZero(), new Decimal(left.locked).isZero()]).toEqual([true, true]);
    expect((await api().get('/api/account/closure').set(carol.auth).expect(200)).body).toEqual({ canClose: true, blockers: [] });

    const ledgerBefore = await suite.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE account = $1`, [`user:${carol.id}`]);
    const closed = await close().send({ confirmEmail: carol.email }).expect(200);
    expect(closed.body).toEqual({ closedAt: expect.any(String), message: 'Your account is closed. Your transaction records are kept as the law requires.' });

    // Signed out everywhere; signing in again fails as for any wrong email or password (nothing says the account existed).
    await waitFor(async () => (await api().get('/api/auth/me').set(carol.auth)).status === 401, 10_000, 'the access token to be refused');
    const login = await api().post('/api/auth/login').send({ email: carol.email, password: carol.password }).expect(401);
    expect(login.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'The email or the password is wrong' });
    await api().post('/api/auth/refresh').send({ refreshToken: carol.refreshToken }).expect(401);

    // Personal data erased, the financial records kept.
    const [user] = await suite.db.query<Record<string, unknown>>(`SELECT email, name, two_factor_secret FROM users WHERE id = $1`, [carol.id]);
    expect(user).toEqual({ email: `closed-${carol.id}@erased.invalid`, name: 'Closed account', two_factor_secret: null });
    const rows = await rowsOf(carol.id);
    expect(rows).toMatchObject({
      sessions: expect.any(Number),
      backup_codes: 0,
      refresh_tokens: 0,
      notifications: 0,
      watchlist_items: 0,
      passkeys: 0,
      withdrawals: 1,
      account_closures: 1,
      ledger_entries: ledgerBefore[0].n,
    });
    const [withdrawal] = await suite.db.query<{ address: string; status: string }>(`SELECT address, status FROM withdrawals WHERE id = $1`, [wid]);
    expect(withdrawal).toEqual({ address: carol.address, status: 'completed' });
    const book = await suite.db.query<{ label: string; address: string }>(`SELECT label, address FROM withdrawal_addresses WHERE user_id = $1`, [carol.id]);
    expect(book.every((a) => a.label === 'erased' && a.address.startsWith('erased:'))).toBe(true);
    expect(
      await suite.db.query(`SELECT 1 FROM sessions WHERE user_id = $1 AND (revoked_at IS NULL OR ip IS NOT NULL OR user_agent IS NOT NULL)`, [carol.id]),
    ).toEqual([]);
    expect(await suite.db.query(`SELECT 1 FROM alerts WHERE user_id = $1 AND active`, [carol.id])).toEqual([]);
    const audit = await suite.db.query<{ action: string; ip: string | null; by_staff: boolean }>(
      `SELECT action, ip, (actor_id IS NOT NULL AND actor_id <> user_id) AS by_staff FROM audit_logs WHERE user_id = $1 ORDER BY id`,
      [carol.id],
    );
    expect(audit.map((a) => a.action)).toContain('account.closed');
    // Carol's own addresses are gone; those of the admins who acted on her account (funding, approving) stay: closing an
    // account never wipes the trail of what staff did to it.
    expect(audit.filter((a) => !a.by_staff).every((a) => a.ip === null)).toBe(true);
    const byStaff = audit.filter((a) => a.by_staff);
    expect(byStaff.length).toBeGreaterThan(0);
    expect(byStaff.some((a) => a.ip !== null)).toBe(true);

    // The erasure is journalled for a restore to replay, and the books still balance.
    expect(await readErasures(backupDir)).toEqual(expect.arrayContaining([{ userId: carol.id, erasedAt: closed.body.closedAt }]));
    const reconcile = await runReconcile(suite.db.url);
    expect({ code: reconcile.code, output: reconcile.output }).toEqual({ code: 0, output: expect.any(String) });
  });
});
