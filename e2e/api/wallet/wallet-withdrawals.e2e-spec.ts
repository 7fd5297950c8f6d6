import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, promoteToAdmin, TestUser, totpCode } from '../../support/factories';
import { ReceivedMail, SmtpSink } from '../../support/smtp';
import { balanceOf, fund, runReconcile } from '../../support/money';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

jest.setTimeout(60_000);

const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

describe('wallet withdrawals', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let admin: TestUser;
  let admin2: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    // BTC frozen at the snapshot (≈104k USD): 0.0005 BTC is under the 100 USD dual-approval line, 0.002 BTC above it.
    // The race below sends 20 withdrawals of one session at once, 9 with used-up codes: above the confirmation
    // lockout's defaults (5 a session), which security-second-factor covers; raised here so the race reaches the ledger.
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        SIMULATED_VOLATILITY: '0',
        WITHDRAWAL_DUAL_APPROVAL_USD: '100',
        WITHDRAWAL_DAILY_LIMIT_USD: '3000',
        CONFIRMATION_SESSION_MAX_FAILURES: '50',
        CONFIRMATION_ACCOUNT_MAX_FAILURES: '100',
        // Ethereum's explorer overridden (a deployment's own choice); every other network keeps its default.
        BLOCK_EXPLORER_TX_URLS: 'ethereum=https://eth.blockscout.com/tx/{hash}',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    admin2 = await promoteToAdmin(app, admin, await createUser(app, mail));
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), db?.drop()]);
  });

  /** A user with 2FA on, a confirmed BTC address past its hold (and `more` ones), and `btc` BTC available. */
  async function funded(btc: string, more: { asset: string }[] = []): Promise<Withdrawer> {
    const user = await createWithdrawer(app, mail, { asset: 'BTC', more });
    await fund(app, admin, user, 'BTC', btc);
    return user;
  }

  /** One second-factor credential per call: the backup codes first, then the next TOTP step. */
  function codes(user: TestUser): () => string {
    const backups = [...(user.backupCodes ?? [])];
    return () => backups.shift() ?? totpCode(user.totpSecret!, 1);
  }

  /** Withdraws to the user's saved address for the asset (BTC unless the body names another). */
  const withdraw = (user: Withdrawer, body: Record<string, unknown>, key?: string) => {
    const req = request(app.url).post('/api/wallet/withdraw').set(user.auth);
    if (key) void req.set('Idempotency-Key', key);
    const asset = (body.asset as string | undefined) ?? 'BTC';
    return req.send({ asset, addressId: user.addressIds[asset] ?? user.addressId, ...body });
  };

  it('refuses users without two-factor authentication', async () => {
    const user = await createUser(app, mail);
    await fund(app, admin, user, 'BTC', '0.01');
    const res = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'BTC', amount: '0.001', addressId: randomUUID(), twoFactorCode: '123456' })
      .expect(403);
    expect(res.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
  });

  it('sends only to a saved address: a raw address is refused with 400, an unknown id with 404, before using up a code', async () => {
    const user = await funded('0.01');
    const raw = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'BTC', amount: '0.001', address: BTC_ADDRESS, twoFactorCode: user.backupCodes![0] })
      .expect(400);
    expect(raw.body.error.code).toBe('VALIDATION_FAILED');
    expect(raw.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'address', message: 'address is not an allowed field' },
        { field: 'addressId', message: 'Choose one of your saved addresses' },
      ]),
    );
    const unknown = await withdraw(user, { amount: '0.001', addressId: randomUUID(), twoFactorCode: user.backupCodes![0] }).expect(404);
    expect(unknown.body.error).toEqual({ code: 'NOT_FOUND', message: 'Saved address not found' });
    const mismatch = await withdraw(user, { asset: 'ETH', addressId: user.addressId, amount: '0.01', twoFactorCode: user.backupCodes![0] }).expect(422);
    expect(mismatch.body.error).toMatchObject({ code: 'ADDRESS_ASSET_MISMATCH', message: 'This address receives BTC, not ETH' });
    // None of those used the backup code.
    const ok = await withdraw(user, { amount: '0.001', twoFactorCode: user.backupCodes![0] }).expect(201);
    expect(ok.body.withdrawal).toMatchObject({ address: BTC_ADDRESS, network: 'bitcoin', addressId: user.addressId, addressLabel: 'BTC test wallet' });
  });

  it('refuses amounts below the per-asset minimum with BELOW_MINIMUM', async () => {
    const user = await funded('0.01');
    const res = await withdraw(user, { amount: '0.0004', twoFactorCode: '000000' }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'BELOW_MINIMUM', message: 'The smallest BTC withdrawal is 0.0005 BTC' });
    expect((await withdraw(user, { asset: 'XYZ', amount: '1', twoFactorCode: '000000' }).expect(422)).body.error.code).toBe('UNKNOWN_ASSET');
  });

  it('publishes the rules the withdrawal check enforces: networks, minimum, fee, decimals and the USD limits left', async () => {
    const user = await funded('0.01', [{ asset: 'ETH' }]);
    await request(app.url).get('/api/wallet/withdrawal-rules').expect(401);
    const res = await request(app.url).get('/api/wallet/withdrawal-rules').set(user.auth).expect(200);
    const rules = res.body.rules;
    expect(rules).toMatchObject({ dailyLimitUsd: '3000', dailyRemainingUsd: '3000.00', dualApprovalUsd: '100' });
    expect(rules.assets.map((a: { asset: string }) => a.asset)).toEqual(['BTC', 'ETH', 'USDT', 'USDC', 'LTC', 'BNB', 'SOL', 'XRP', 'DOGE']);
    const rule = (asset: string) => rules.assets.find((a: { asset: string }) => a.asset === asset);
    expect(rule('BTC')).toEqual({
      asset: 'BTC',
      minimum: '0.0005',
      fee: '0.0001',
      decimals: 8,
      networks: [
        {
          name: 'bitcoin',
          addressHint: 'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address',
          isDefault: true,
          explorerTxUrl: 'https://mempool.space/tx/{hash}',
        },
      ],
    });
    // Each network names its own explorer: USDT leaves on Ethereum (here the configured override) or Tron.
    expect(
      rule('USDT').networks.map((n: { name: string; isDefault: boolean; explorerTxUrl: string | null }) => [n.name, n.isDefault, n.explorerTxUrl]),
    ).toEqual([
      ['ethereum', true, 'https://eth.blockscout.com/tx/{hash}'],
      ['tron', false, 'https://tronscan.org/#/transaction/{hash}'],
    ]);

    // Just under each listed minimum is refused with that minimum; exactly the minimum is accepted.
    const next = codes(user);
    await fund(app, admin, user, 'ETH', '1');
    for (const asset of ['BTC', 'ETH']) {
      const { minimum, decimals } = rule(asset);
      const under = new Decimal(minimum).sub(new Decimal(10).pow(-decimals)).toFixed();
      const refused = await withdraw(user, { asset, amount: under, twoFactorCode: '000000' }).expect(422);
      expect(refused.body.error).toEqual({
        code: 'BELOW_MINIMUM',
        message: `The smallest ${asset} withdrawal is ${minimum} ${asset}`,
        details: [{ field: 'amount', message: `Enter at least ${minimum} ${asset}` }],
      });
    }
    const tooPrecise = await withdraw(user, { amount: `0.${'1'.padStart(rule('BTC').decimals + 1, '0')}`, twoFactorCode: '000000' }).expect(400);
    expect(tooPrecise.body.error.details).toEqual([{ field: 'amount', message: 'Use at most 8 decimals' }]);

    const ok = await withdraw(user, { amount: rule('BTC').minimum, twoFactorCode: next() }).expect(201);
    expect(ok.body.withdrawal).toMatchObject({ amount: '0.00050000', fee: '0.00010000', total: '0.00060000' });
    const after = await request(app.url).get('/api/wallet/withdrawal-rules').set(user.auth).expect(200);
    const [{ usd }] = await db.query<{ usd: string }>(`SELECT usd_value::text AS usd FROM withdrawals WHERE id = $1`, [ok.body.withdrawal.id]);
    expect(after.body.rules.dailyRemainingUsd).toBe(new Decimal(3000).sub(usd).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2));
  });

  it('refuses a wrong two-factor code and holds nothing', async () => {
    const user = await funded('0.01');
    const res = await withdraw(user, { amount: '0.001', twoFactorCode: '000000' }).expect(401);
    expect(res.body.error.code).toBe('TWO_FACTOR_INVALID');
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
  });

  it('holds the amount plus the fee, emails the user and answers a replayed Idempotency-Key with the first result', async () => {
    const user = await funded('0.01');
    const res = await withdraw(user, { amount: '0.002', twoFactorCode: totpCode(user.totpSecret!, 1) }, 'wd-1').expect(201);
    expect(res.body.withdrawal).toMatchObject({
      asset: 'BTC',
      network: 'bitcoin',
      address: BTC_ADDRESS,
      amount: '0.00200000',
      fee: '0.00010000',
      total: '0.00210000',
      status: 'pending',
      approvals: 0,
      requiredApprovals: 2,
    });
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.00790000', locked: '0.00210000' });
    const replay = await withdraw(user, { amount: '0.002', twoFactorCode: 'not-needed' }, 'wd-1').expect(201);
    expect(replay.body).toEqual(res.body);
    const other = await withdraw(user, { amount: '0.003', twoFactorCode: user.backupCodes![0] }, 'wd-1').expect(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.00790000', locked: '0.00210000' });
    const email = await mail.waitFor(user.email, (m) => m.subject.startsWith('Withdrawal requested'));
    expect(email.subject).toBe('Withdrawal requested: 0.002 BTC');
    expect(email.text).toContain(
      `We received your request to withdraw 0.002 BTC (fee 0.0001 BTC) to your saved address “BTC test wallet” (${BTC_ADDRESS}) on bitcoin. 0.0021 BTC is held until it is sent.`,
    );
    const hold = await db.query<{ description: string }>(`SELECT description FROM ledger_journals WHERE reference = $1`, [
      `withdrawal:${res.body.withdrawal.id}:hold`,
    ]);
    expect(hold).toEqual([{ description: 'Withdrawal of 0.002 BTC to “BTC test wallet” requested: 0.0021 BTC held (fee 0.0001 BTC)' }]);
  });

  it('never spends the same funds twice when 20 withdrawals race for a balance that covers four', async () => {
    const user = await funded('0.005');
    const next = codes(user);
    // 10 backup codes and one TOTP code are valid once each; the other 9 requests reuse codes and are refused.
    const credentials = Array.from({ length: 11 }, next);
    const bodies = Array.from({ length: 20 }, (_, i) => ({ amount: '0.001', twoFactorCode: credentials[i % 11] }));
    const results = await Promise.all(bodies.map((b) => withdraw(user, b)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    expect(statuses.filter((s) => s === 401)).toHaveLength(9);
    expect(results.filter((r) => r.status === 422).every((r) => r.body.error.code === 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.00060000', locked: '0.00440000' });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('releases the hold exactly once when the user cancels twice at the same time', async () => {
    const user = await funded('0.01');
    const created = await withdraw(user, { amount: '0.001', twoFactorCode: user.backupCodes![0] }).expect(201);
    const id = created.body.withdrawal.id as string;
    const [a, b] = await Promise.all([
      request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(user.auth),
      request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(user.auth),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error).toEqual({ code: 'INVALID_STATE', message: 'The withdrawal is cancelled; it cannot be cancelled' });
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
    const got = await request(app.url).get(`/api/wallet/withdraw/${id}`).set(user.auth).expect(200);
    expect(got.body.withdrawal.status).toBe('cancelled');
    const told = await mail.waitFor(user.email, (m) => m.subject.startsWith('Withdrawal cancelled'));
    expect(told.subject).toBe('Withdrawal cancelled: 0.001 BTC');
    expect(told.text.trim()).toBe('Your withdrawal of 0.001 BTC to “BTC test wallet” was cancelled; 0.0011 BTC is available again.');
    expect(await db.query(`SELECT description FROM ledger_journals WHERE reference = $1`, [`withdrawal:${id}:release`])).toEqual([
      { description: 'Withdrawal of 0.001 BTC cancelled: 0.0011 BTC available again' },
    ]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('releases the hold once on rejection, tells the user why, and refuses to move a rejected withdrawal again', async () => {
    const user = await funded('0.01');
    const created = await withdraw(user, { amount: '0.0005', twoFactorCode: user.backupCodes![0] }).expect(201);
    const id = created.body.withdrawal.id as string;
    const [r1, r2] = await Promise.all([
      request(app.url).post(`/api/admin/withdrawals/${id}/reject`).set(admin.auth).send({ reason: 'Address flagged by compliance' }),
      request(app.url).post(`/api/admin/withdrawals/${id}/reject`).set(admin2.auth).send({ reason: 'Duplicate review' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
    await request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(user.auth).expect(409);
    await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(409);
    const email = await mail.waitFor(user.email, (m) => m.subject.startsWith('Withdrawal rejected'));
    expect(email.subject).toBe('Withdrawal rejected: 0.0005 BTC');
    expect(email.text.trim()).toMatch(
      /^Your withdrawal of 0\.0005 BTC to “BTC test wallet” was rejected: (Address flagged by compliance|Duplicate review)\. 0\.0006 BTC is available again\.$/,
    );
    expect(email.text).not.toContain(id);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('needs two different admins for a large withdrawal (the same admin twice is 409), then sends it once', async () => {
    const user = await funded('0.01');
    const created = await withdraw(user, { amount: '0.002', twoFactorCode: user.backupCodes![0] }).expect(201);
    const id = created.body.withdrawal.id as string;
    const first = await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(200);
    expect(first.body.withdrawal).toMatchObject({ status: 'pending', approvals: 1, requiredApprovals: 2, userEmail: user.email });
    const again = await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(409);
    expect(again.body.error.code).toBe('ALREADY_EXISTS');
    await request(app.url)
      .post(`/api/admin/withdrawals/${id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'a'.repeat(64) })
      .expect(409);
    const second = await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin2.auth).expect(200);
    expect(second.body.withdrawal).toMatchObject({ status: 'approved', approvals: 2 });
    await request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(user.auth).expect(409);

    const txHash = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    const [c1, c2] = await Promise.all([
      request(app.url).post(`/api/admin/withdrawals/${id}/complete`).set(admin.auth).send({ txHash }),
      request(app.url).post(`/api/admin/withdrawals/${id}/complete`).set(admin2.auth).send({ txHash }),
    ]);
    expect([c1.status, c2.status].sort()).toEqual([200, 409]);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.00790000', locked: '0.00000000' });
    const sent = await db.query<{ account: string; amount: string }>(
      `SELECT e.account, e.amount::text FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id WHERE j.reference = $1 AND e.account NOT LIKE 'user:%' ORDER BY e.account`,
      [`withdrawal:${id}:complete`],
    );
    expect(sent.map((r) => [r.account, Number(r.amount)])).toEqual([
      ['external:withdrawals', 0.002],
      ['platform:fees', 0.0001],
    ]);
    expect(created.body.withdrawal.explorerUrl).toBeNull();
    const got = await request(app.url).get(`/api/wallet/withdraw/${id}`).set(user.auth).expect(200);
    expect(got.body.withdrawal).toMatchObject({
      status: 'completed',
      txHash,
      completedAt: expect.any(String),
      explorerUrl: `https://mempool.space/tx/${txHash}`,
    });
    const told: ReceivedMail[] = [];
    for (const subject of ['Withdrawal requested', 'Withdrawal approved', 'Withdrawal sent'])
      told.push(await mail.waitFor(user.email, (m) => m.subject.startsWith(subject)));
    // Named by what the owner knows (amount, label, address), never by the withdrawal's id.
    expect(told.map((m) => m.subject)).toEqual(['Withdrawal requested: 0.002 BTC', 'Withdrawal approved: 0.002 BTC', 'Withdrawal sent: 0.002 BTC']);
    expect(told[1].text.trim()).toBe(`Your withdrawal of 0.002 BTC to “BTC test wallet” (${BTC_ADDRESS}) was approved and will be sent shortly.`);
    expect(told[2].text.trim()).toBe(`Your withdrawal of 0.002 BTC to “BTC test wallet” (${BTC_ADDRESS}) was sent. Transaction: ${txHash}`);
    for (const m of told) expect(m.text).not.toContain(id);
    expect(await db.query(`SELECT description FROM ledger_journals WHERE reference = $1`, [`withdrawal:${id}:complete`])).toEqual([
      { description: 'Withdrawal of 0.002 BTC sent to “BTC test wallet” (fee 0.0001 BTC)' },
    ]);
    const inApp = await request(app.url).get('/api/notifications').set(user.auth).expect(200);
    expect(inApp.body.items.filter((n: { type: string }) => n.type === 'withdrawal_updated').map((n: { data: { status: string } }) => n.data.status)).toEqual([
      'completed',
      'approved',
      'pending',
    ]);
    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE details->>'withdrawalId' = $1 ORDER BY id`, [id]);
    expect(audit.map((a) => a.action)).toEqual([
      'wallet.withdrawal_requested',
      'wallet.withdrawal_approval_recorded',
      'wallet.withdrawal_approved',
      'wallet.withdrawal_completed',
    ]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it("links a sent payout to its network's block explorer, only for a hash in that chain's format", async () => {
    const user = await funded('0.01', [{ asset: 'ETH' }]);
    await fund(app, admin, user, 'ETH', '1');
    const next = codes(user);
    /** Withdraws, has it approved (by a second admin when the USD line is reached) and completed with `txHash`: what the owner and the admins see. */
    const sent = async (asset: string, amount: string, txHash: string) => {
      const created = await withdraw(user, { asset, amount, twoFactorCode: next() }).expect(201);
      const id = created.body.withdrawal.id as string;
      expect(created.body.withdrawal.explorerUrl).toBeNull();
      const first = await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(200);
      if (first.body.withdrawal.status === 'pending') await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin2.auth).expect(200);
      const done = await request(app.url).post(`/api/admin/withdrawals/${id}/complete`).set(admin.auth).send({ txHash }).expect(200);
      const mine = await request(app.url).get(`/api/wallet/withdraw/${id}`).set(user.auth).expect(200);
      const queue = await request(app.url).get('/api/admin/withdrawals?status=completed&limit=100').set(admin.auth).expect(200);
      const queued = queue.body.items.find((w: { id: string }) => w.id === id);
      return {
        id,
        txHash: mine.body.withdrawal.txHash,
        owner: mine.body.withdrawal.explorerUrl,
        completedBy: done.body.withdrawal.explorerUrl,
        queue: queued.explorerUrl,
      };
    };
    const link = (url: string | null) => ({ owner: url, completedBy: url, queue: url });
    const pick = ({ owner, completedBy, queue }: { owner: string | null; completedBy: string | null; queue: string | null }) => ({ owner, completedBy, queue });

    // A Bitcoin txid (64 hex digits, as the admin typed it, in capitals) links to mempool.space, written in lower case.
    const btcTxid = 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16';
    const btc = await sent('BTC', '0.0005', btcTxid);
    expect(btc.txHash).toBe(btcTxid);
    expect(pick(btc)).toEqual(link(`https://mempool.space/tx/${btcTxid.toLowerCase()}`));
    // An Ethereum transaction hash (0x and 64 hex digits) links to the configured explorer.
    const ethHash = '0x5C504ED432CB51138BCF09AA5E8A410DD4A1E204EF84BFED1BE16DFBA1B22060';
    expect(pick(await sent('ETH', '0.005', ethHash))).toEqual(link(`https://eth.blockscout.com/tx/${ethHash.toLowerCase()}`));
    // Hashes the request accepts but that are no hash of that chain are shown as typed, never linked: an Ethereum-style
    // hash for a Bitcoin payout, a 24-digit one for Ethereum.
    const wrongChain = await sent('BTC', '0.0005', `0x${'ab'.repeat(32)}`);
    expect(wrongChain.txHash).toBe(`0x${'ab'.repeat(32)}`);
    expect(pick(wrongChain)).toEqual(link(null));
    expect(pick(await sent('ETH', '0.005', 'deadbeef'.repeat(3)))).toEqual(link(null));
    // Whatever reaches the column some other way (an older release, a hand-made fix) is never made a link either.
    for (const stored of ['javascript:alert(document.cookie)', `${btcTxid}/../../evil.example`, `${btcTxid.toLowerCase()}#@evil.example`, ` ${btcTxid}`]) {
      await db.query(`UPDATE withdrawals SET tx_hash = $2 WHERE id = $1`, [wrongChain.id, stored]);
      const shown = await request(app.url).get(`/api/wallet/withdraw/${wrongChain.id}`).set(user.auth).expect(200);
      expect([stored, shown.body.withdrawal.txHash, shown.body.withdrawal.explorerUrl]).toEqual([stored, stored, null]);
    }
  });

  it('never lets an admin approve their own withdrawal', async () => {
    const holder = await funded('0.01');
    const self = { ...holder, ...(await promoteToAdmin(app, admin, holder, admin2)) };
    const created = await withdraw(self, { amount: '0.0005', twoFactorCode: self.backupCodes![0] }).expect(201);
    const res = await request(app.url).post(`/api/admin/withdrawals/${created.body.withdrawal.id}/approve`).set(self.auth).expect(403);
    expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: 'Admins cannot approve their own withdrawals' });
    await request(app.url).post(`/api/admin/withdrawals/${created.body.withdrawal.id}/approve`).set(admin.auth).expect(200);
  });

  it('lets one admin approve a small withdrawal', async () => {
    const user = await funded('0.01');
    const created = await withdraw(user, { amount: '0.0005', twoFactorCode: user.backupCodes![0] }).expect(201);
    expect(created.body.withdrawal.requiredApprovals).toBe(1);
    const res = await request(app.url).post(`/api/admin/withdrawals/${created.body.withdrawal.id}/approve`).set(admin2.auth).expect(200);
    expect(res.body.withdrawal).toMatchObject({ status: 'approved', approvals: 1 });
  });

  it('refuses withdrawals beyond the daily USD limit with LIMIT_EXCEEDED', async () => {
    const user = await funded('0.05');
    const res = await withdraw(user, { amount: '0.03', twoFactorCode: user.backupCodes![0] }).expect(422);
    expect(res.body.error.code).toBe('LIMIT_EXCEEDED');
    expect(res.body.error.message).toMatch(/^Withdrawals are limited to 3000 USD per 24 hours; 3000\.00 USD left$/);
    await withdraw(user, { amount: '0.02', twoFactorCode: user.backupCodes![1] }).expect(201);
    const more = await withdraw(user, { amount: '0.01', twoFactorCode: user.backupCodes![2] }).expect(422);
    expect(more.body.error.code).toBe('LIMIT_EXCEEDED');
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.02990000', locked: '0.02010000' });
  });

  it("lists a user's withdrawals page by page and answers 404 for another user's", async () => {
    const [user, stranger] = await Promise.all([funded('0.01'), createWithdrawer(app, mail)]);
    const a = await withdraw(user, { amount: '0.0005', twoFactorCode: user.backupCodes![0] }).expect(201);
    const b = await withdraw(user, { amount: '0.0006', twoFactorCode: user.backupCodes![1] }).expect(201);
    const page1 = await request(app.url).get('/api/wallet/withdrawals?limit=1').set(user.auth).expect(200);
    expect(page1.body.items.map((w: { id: string }) => w.id)).toEqual([b.body.withdrawal.id]);
    const page2 = await request(app.url).get(`/api/wallet/withdrawals?limit=1&cursor=${page1.body.nextCursor}`).set(user.auth).expect(200);
    expect(page2.body).toEqual({ items: [a.body.withdrawal], nextCursor: null });
    await request(app.url).get(`/api/wallet/withdraw/${a.body.withdrawal.id}`).set(stranger.auth).expect(404);
    await request(app.url).post(`/api/wallet/withdraw/${a.body.withdrawal.id}/cancel`).set(stranger.auth).expect(404);
    // Nor can anyone send to another user's saved address.
    const theirs = await withdraw(stranger, { amount: '0.0005', addressId: user.addressId, twoFactorCode: stranger.backupCodes![0] }).expect(404);
    expect(theirs.body.error.code).toBe('NOT_FOUND');
    await request(app.url).get('/api/wallet/withdraw/not-an-id').set(user.auth).expect(400);
  });

  it('shows admins the pending queue with user emails and keeps it from everyone else', async () => {
    const user = await funded('0.01');
    const created = await withdraw(user, { amount: '0.0005', twoFactorCode: user.backupCodes![0] }).expect(201);
    const list = await request(app.url).get('/api/admin/withdrawals?status=pending&limit=100').set(admin.auth).expect(200);
    expect(list.body.items.find((w: { id: string }) => w.id === created.body.withdrawal.id)).toMatchObject({
      userEmail: user.email,
      status: 'pending',
      addressId: user.addressId,
      addressLabel: 'BTC test wallet',
    });
    expect(list.body.items.every((w: { status: string }) => w.status === 'pending')).toBe(true);
    await request(app.url).get('/api/admin/withdrawals').set(user.auth).expect(403);
    await request(app.url).post(`/api/admin/withdrawals/${created.body.withdrawal.id}/approve`).set(user.auth).expect(403);
    await request(app.url).get('/api/admin/withdrawals?status=lost').set(admin.auth).expect(400);
  });
});
