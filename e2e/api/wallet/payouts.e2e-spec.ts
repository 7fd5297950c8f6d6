import request from 'supertest';
import { signIpn } from '../../../backend/src/wallet/payments/ipn-signature';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser, totpCode } from '../../support/factories';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

jest.setTimeout(90_000);

const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const WEBHOOK = '/api/wallet/webhook/nowpayments/payouts';

/**
 * Automated payouts against the local NOWPayments (support/fakes/nowpayments.ts speaks its payouts API) and the
 * external reconciliation. BTC is frozen at the snapshot (≈104k USD): 0.002 BTC ≈ 208 USD is under the per-withdrawal
 * cap of 500, 0.006 BTC over it; the daily cap of 1500 is reached by the last test only (failed payouts and those left
 * to operators do not count).
 */
describe('wallet: automated payouts and external reconciliation', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let np: FakeNowPayments;
  let app: RunningApp;
  let admin: TestUser;
  let funder: TestUser;
  let user: Withdrawer;
  let nextCode: () => string;
  /** A second user (funded by `funder` long ago) for the stuck-payout and adjustment tests: the first one's codes run out. */
  let other: { w: Withdrawer; nextCode: () => string } | undefined;

  beforeAll(async () => {
    [db, mail, np] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeNowPayments().start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        SIMULATED_VOLATILITY: '0',
        PAYMENT_PROVIDER: 'nowpayments',
        NOWPAYMENTS_BASE_URL: np.url,
        NOWPAYMENTS_API_KEY: np.apiKey,
        NOWPAYMENTS_IPN_SECRET: np.ipnSecret,
        NOWPAYMENTS_PAYOUT_EMAIL: np.payoutAccount.email,
        NOWPAYMENTS_PAYOUT_PASSWORD: np.payoutAccount.password,
        NOWPAYMENTS_PAYOUT_2FA_SECRET: np.payoutAccount.totpSecret,
        PAYOUT_AUTO_MAX_USD: '500',
        PAYOUT_AUTO_DAILY_USD: '1500',
        PAYOUT_WORKER_INTERVAL_MS: '200',
        PAYOUT_CLAIM_MS: '2000',
        PAYOUT_STATUS_CHECK_MS: '1000',
        // The first look runs the daily reconciliation at once (none stored yet), then not again during the suite.
        PROVIDER_RECONCILE_INTERVAL_MS: '600000',
        CONFIRMATION_SESSION_MAX_FAILURES: '50',
        CONFIRMATION_ACCOUNT_MAX_FAILURES: '100',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    funder = await createUser(app, mail, { admin: true });
    user = await createWithdrawer(app, mail, { asset: 'BTC' });
    // Funded by another admin than the approver, long enough ago (PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS) to be sent automatically.
    await fund(app, funder, user, 'BTC', '0.1');
    await backdateAdjustments();
    const backups = [...(user.backupCodes ?? [])];
    nextCode = () => backups.shift() ?? totpCode(user.totpSecret!, 1);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), np?.stop(), db?.drop()]);
  });

  /** Moves the user's ledger adjustments out of the look-back window (as if made 40 days ago). */
  async function backdateAdjustments(who: { id: string } = user): Promise<void> {
    await db.query(
      `UPDATE ledger_adjustments SET created_at = created_at - interval '40 days', decided_at = decided_at - interval '40 days' WHERE user_id = $1`,
      [who.id],
    );
  }

  async function otherUser(): Promise<{ w: Withdrawer; nextCode: () => string }> {
    if (other) return other;
    const w = await createWithdrawer(app, mail, { asset: 'BTC' });
    await fund(app, funder, w, 'BTC', '0.05');
    await backdateAdjustments(w);
    const backups = [...(w.backupCodes ?? [])];
    other = { w, nextCode: () => backups.shift() ?? totpCode(w.totpSecret!, 1) };
    return other;
  }

  async function withdraw(amount: string, as?: { w: Withdrawer; nextCode: () => string }): Promise<string> {
    const who = as?.w ?? user;
    const res = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(who.auth)
      .send({ asset: 'BTC', amount, addressId: who.addressId, twoFactorCode: (as?.nextCode ?? nextCode)() });
    expect(res.status).toBe(201);
    return res.body.withdrawal.id as string;
  }

  const approve = (id: string, on: RunningApp = app) => request(on.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth);
  /** Approves, and waits for the payout handed off after the commit (the answer shows it queued) to reach `status`. */
  const approveAndSend = async (id: string, status = 'processing') => {
    const res = await approve(id).expect(200);
    expect(['sending', 'created', 'processing', 'manual']).toContain(res.body.withdrawal.payout.status);
    await waitFor(async () => (await adminView(id)).payout?.status === status, 15_000, `the payout to be ${status}`);
    return adminView(id);
  };
  const mine = async (id: string) => (await request(app.url).get(`/api/wallet/withdraw/${id}`).set(user.auth).expect(200)).body.withdrawal;
  const adminView = async (id: string) => {
    const res = await request(app.url).get('/api/admin/withdrawals?limit=100').set(admin.auth).expect(200);
    return (res.body.items as { id: string; status: string; payout: Record<string, unknown> | null }[]).find((w) => w.id === id)!;
  };
  /** Posts a payout IPN to our webhook as a sender would: signed with `secret` (none: unsigned). */
  const postIpn = (body: Record<string, unknown>, secret?: string) => {
    const req = request(app.url).post(WEBHOOK).set('content-type', 'application/json');
    if (secret) void req.set('x-nowpayments-sig', signIpn(body, secret));
    return req.send(body);
  };

  it('sends an approved withdrawal through the payouts API and completes it only on the signed FINISHED status, with the real hash', async () => {
    const id = await withdraw('0.002');
    const approved = await approve(id).expect(200);
    // The answer comes once the approval commits: the payout is queued (sending), and the send that follows may
    // already have created it at the provider (created) or had it verified (processing) by the time the answer is read.
    expect(approved.body.withdrawal).toMatchObject({
      status: 'approved',
      payout: { status: expect.stringMatching(/^(sending|created|processing)$/), provider: 'nowpayments', currency: 'btc', manualReason: null },
    });
    await waitFor(async () => (await adminView(id)).payout?.status === 'processing', 15_000, 'the payout to be verified');
    expect(await adminView(id)).toMatchObject({
      status: 'approved',
      payout: { status: 'processing', provider: 'nowpayments', currency: 'btc', providerStatus: 'WAITING', manualReason: null },
    });
    // One batch, our id as unique_external_id, verified with the payout account's 2FA code (CREATING → WAITING).
    const [payout, ...more] = np.payoutsFor(id);
    expect(more).toEqual([]);
    expect(payout).toMatchObject({ status: 'WAITING', currency: 'btc', amount: '0.002', address: BTC_ADDRESS, ipn_callback_url: `${app.url}${WEBHOOK}` });
    expect((await adminView(id)).payout?.providerPayoutId).toBe(payout.id);

    // Neither completed nor rejected by hand while the payout is under way.
    const complete = await request(app.url)
      .post(`/api/admin/withdrawals/${id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'a'.repeat(64) })
      .expect(409);
    expect(complete.body.error).toEqual({
      code: 'INVALID_STATE',
      message:
        'A payout of this withdrawal is under way at the payment provider: it completes when the provider confirms it, or its hold is released if it fails',
    });
    await request(app.url).post(`/api/admin/withdrawals/${id}/reject`).set(admin.auth).send({ reason: 'changed my mind' }).expect(409);

    // A FINISHED that is not signed with our IPN secret changes nothing (nor does the status check, which finds it WAITING).
    const forged = { ...np.payoutIpnBody(payout), status: 'FINISHED', hash: 'b'.repeat(64) };
    expect((await postIpn(forged, 'not-the-secret').expect(400)).body.error.code).toBe('INVALID_SIGNATURE');
    expect((await postIpn(forged).expect(400)).body.error.code).toBe('INVALID_SIGNATURE');
    const checked = Date.now();
    await waitFor(async () => Date.now() > checked + 2_500, 5_000, 'a few status checks');
    expect(await mine(id)).toMatchObject({ status: 'approved', txHash: null, explorerUrl: null });
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ locked: '0.00210000' });

    expect(await np.sendPayoutIpn(payout.id, 'SENDING')).toBe(200);
    expect(await np.sendPayoutIpn(payout.id, 'FINISHED')).toBe(200);
    const hash = np.payouts.get(payout.id)!.hash!;
    expect(await mine(id)).toMatchObject({ status: 'completed', txHash: hash, explorerUrl: `https://mempool.space/tx/${hash}` });
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.09790000', locked: '0.00000000' });
    expect((await adminView(id)).payout).toMatchObject({ status: 'finished', providerStatus: 'FINISHED' });
    // Told once, however often the provider repeats it.
    const again = await postIpn(np.payoutIpnBody(np.payouts.get(payout.id)!), np.ipnSecret).expect(200);
    expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
    const sent = await mail.waitFor(user.email, (m) => m.subject === 'Withdrawal sent: 0.002 BTC');
    expect(sent.text).toContain(`Transaction: ${hash}`);
    const audit = await db.query<{ action: string; actor_id: string | null; details: Record<string, unknown> }>(
      `SELECT action, actor_id, details FROM audit_logs WHERE details->>'withdrawalId' = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'wallet.withdrawal_requested',
      'wallet.withdrawal_approved',
      'wallet.payout_sent',
      'wallet.withdrawal_completed',
    ]);
    expect(audit[1].details).toMatchObject({ payout: 'automatic' });
    expect(audit[2]).toMatchObject({ details: { withdrawalId: id, batchId: payout.batch_withdrawal_id, payoutId: payout.id } });
    expect(audit[3]).toMatchObject({ actor_id: null, details: { txHash: hash, payout: { payoutId: payout.id, provider: 'nowpayments', source: 'ipn' } } });
  });

  it('refuses a signed status whose amount, address or currency differs from the withdrawal: 400, recorded and audited, nothing changed', async () => {
    const id = await withdraw('0.002');
    await approveAndSend(id);
    const [payout] = np.payoutsFor(id);
    const finished = { ...np.payoutIpnBody(payout), status: 'FINISHED', hash: 'c'.repeat(64) };
    const amount = await postIpn({ ...finished, amount: 0.02 }, np.ipnSecret).expect(400);
    expect(amount.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'amount', message: "amount 0.02 differs from the withdrawal's 0.002" }],
    });
    const address = await postIpn({ ...finished, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' }, np.ipnSecret).expect(400);
    expect(address.body.error.details).toEqual([{ field: 'address', message: "address 1BoatSLRHtKNngkdXEeobR76b53LETtpyT is not the withdrawal's address" }]);
    const currency = await postIpn({ ...finished, currency: 'ltc' }, np.ipnSecret).expect(400);
    expect(currency.body.error.details).toEqual([{ field: 'currency', message: "currency ltc differs from the payout's btc" }]);
    const other = await postIpn({ ...finished, unique_external_id: '00000000-0000-4000-8000-000000000000' }, np.ipnSecret).expect(400);
    expect(other.body.error.details[0].field).toBe('unique_external_id');
    // A withdrawal of ours that has no payout: nothing to do.
    expect((await postIpn({ ...finished, id: '1', unique_external_id: null }, np.ipnSecret).expect(200)).body).toEqual({ received: true, outcome: 'unknown' });

    expect(await mine(id)).toMatchObject({ status: 'approved', txHash: null });
    const refused = await request(app.url).get(`/api/admin/audit-logs?action=wallet.payout_status_refused&limit=50`).set(admin.auth).expect(200);
    const ours = (refused.body.items as { details: { withdrawalId: string; problems: string[] } }[]).filter((e) => e.details.withdrawalId === id);
    expect(ours.map((e) => e.details.problems[0].split(' ')[0]).sort()).toEqual(['address', 'amount', 'currency', 'unique_external_id']);
    expect(await db.query(`SELECT outcome, count(*)::int AS n FROM withdrawal_payout_events WHERE withdrawal_id = $1 GROUP BY outcome`, [id])).toEqual([
      { outcome: 'mismatch', n: 4 },
    ]);
    // The genuine status still completes it.
    expect(await np.sendPayoutIpn(payout.id, 'FINISHED')).toBe(200);
    expect(await mine(id)).toMatchObject({ status: 'completed' });
  });

  it('releases the hold of a failed payout exactly once when the FAILED status arrives 20 times at once, and tells the owner', async () => {
    const before = await balanceOf(app, user, 'BTC');
    const id = await withdraw('0.002');
    await approveAndSend(id);
    const [payout] = np.payoutsFor(id);
    // The fake's own state moves after the IPNs went out, so the status check cannot settle it first.
    const body = { ...np.payoutIpnBody(payout), status: 'FAILED', error: 'Insufficient funds on the payout wallet' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => postIpn(body, np.ipnSecret)));
    np.setPayoutStatus(payout.id, 'FAILED', { error: 'Insufficient funds on the payout wallet' });
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.outcome).sort()).toEqual([...Array(19).fill('duplicate'), 'failed']);
    expect(await mine(id)).toMatchObject({ status: 'rejected', rejectReason: 'The payment provider could not send it', txHash: null });
    expect(await balanceOf(app, user, 'BTC')).toEqual({ ...before, usdValue: expect.any(String) });
    expect(await db.query(`SELECT count(*)::int AS n FROM ledger_journals WHERE reference = $1`, [`withdrawal:${id}:release`])).toEqual([{ n: 1 }]);
    expect((await adminView(id)).payout).toMatchObject({ status: 'failed', providerStatus: 'FAILED', error: 'Insufficient funds on the payout wallet' });
    await mail.waitFor(user.email, (m) => m.subject === 'Withdrawal rejected: 0.002 BTC' && m.text.includes('The payment provider could not send it'));
    const told = await request(app.url).get('/api/notifications').set(user.auth).expect(200);
    expect(
      told.body.items.filter((n: { data: { withdrawalId?: string; status?: string } }) => n.data.withdrawalId === id && n.data.status === 'rejected'),
    ).toHaveLength(1);
  });

  it('settles a payout whose status IPN never arrives by looking it up at the provider, with the hash it reports', async () => {
    const id = await withdraw('0.002');
    await approveAndSend(id);
    const [payout] = np.payoutsFor(id);
    const hash = np.setPayoutStatus(payout.id, 'FINISHED').hash!;
    await waitFor(async () => (await mine(id)).status === 'completed', 15_000, 'the status check to complete the withdrawal');
    expect(await mine(id)).toMatchObject({ txHash: hash, explorerUrl: `https://mempool.space/tx/${hash}` });
    const [completed] = await db.query<{ details: { payout: { source: string } } }>(
      `SELECT details FROM audit_logs WHERE action = 'wallet.withdrawal_completed' AND details->>'withdrawalId' = $1`,
      [id],
    );
    expect(completed.details.payout.source).toBe('api');
  });

  it('leaves a withdrawal over the per-withdrawal cap, or one the provider refuses, to an operator, who completes it with the hash', async () => {
    const big = await withdraw('0.006');
    const approved = await approve(big).expect(200);
    expect(approved.body.withdrawal.payout).toMatchObject({ status: 'manual', manualReason: 'over_withdrawal_cap' });
    expect(np.payoutsFor(big)).toEqual([]);
    const txHash = 'd'.repeat(64);
    const done = await request(app.url).post(`/api/admin/withdrawals/${big}/complete`).set(admin.auth).send({ txHash }).expect(200);
    expect(done.body.withdrawal).toMatchObject({ status: 'completed', txHash, payout: { status: 'manual' } });

    np.refusePayouts = { status: 400, message: 'Insufficient balance' };
    try {
      const refused = await withdraw('0.002');
      const res = await approveAndSend(refused, 'manual');
      expect(res.payout).toMatchObject({
        status: 'manual',
        manualReason: 'provider_refused',
        error: expect.stringContaining('Insufficient balance'),
      });
      expect(np.payoutsFor(refused)).toEqual([]);
      await request(app.url).post(`/api/admin/withdrawals/${refused}/reject`).set(admin.auth).send({ reason: 'sent another way' }).expect(200);
    } finally {
      np.refusePayouts = undefined;
    }
  });

  it('kill -9 between the provider creating a payout and our record of it: the retry finds it by unique_external_id, one payout in all', async () => {
    // Another instance of the deployment, whose payout sender dies (SIGKILL) right after the provider's create.
    const { PORT: _port, ...shared } = app.env;
    const doomed = await startApp({ ...shared, PAYOUT_TEST_CRASH_AFTER_CREATE: 'true', PROVIDER_RECONCILE_INTERVAL_MS: '0' });
    // The cap is checked at a fresh quote too (none: an operator sends it).
    await waitForPrices(doomed);
    const id = await withdraw('0.002');
    const lookupsBefore = np.requests.filter((r) => r.method === 'GET' && r.path === '/v1/payout').length;
    // The approval commits and answers; the send handed off after it dies with the instance (or the answer with it).
    await approve(id, doomed).catch(() => undefined);
    await waitFor(() => doomed.process.exitCode !== null || doomed.process.signalCode !== null, 10_000, 'the instance to die');
    expect(doomed.process.signalCode).toBe('SIGKILL');
    await doomed.stop();
    // The provider has it, never verified; we had planned it (the approval committed) but never recorded the provider's answer.
    expect(np.payoutsFor(id)).toEqual([expect.objectContaining({ status: 'CREATING' })]);

    // This instance's worker takes it up once the dead sender's claim expires: it looks it up by our id, then verifies it.
    await waitFor(async () => (await adminView(id)).payout?.status === 'processing', 20_000, 'the payout to be resumed');
    expect(np.payoutsFor(id)).toEqual([expect.objectContaining({ status: 'WAITING' })]);
    expect(np.requests.filter((r) => r.method === 'GET' && r.path === '/v1/payout').length).toBeGreaterThan(lookupsBefore);
    const view = await adminView(id);
    expect(view.payout).toMatchObject({ providerPayoutId: np.payoutsFor(id)[0].id, attempts: 2 });

    expect(await np.sendPayoutIpn(np.payoutsFor(id)[0].id, 'FINISHED')).toBe(200);
    expect(await mine(id)).toMatchObject({ status: 'completed' });
    expect(np.payoutsFor(id)).toHaveLength(1);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('compares the ledger’s liabilities with the provider’s balances daily and on demand: stored, listed, exported as a metric', async () => {
    // The daily run takes place soon after boot (nothing was stored before).
    await waitFor(
      async () => {
        const listed = await request(app.url).get('/api/admin/reconciliations').set(admin.auth).expect(200);
        return listed.body.items.some((r: { trigger: string; requestedBy: string | null }) => r.trigger === 'schedule' && r.requestedBy === null);
      },
      15_000,
      'the scheduled reconciliation',
    );
    await request(app.url).get('/api/admin/reconciliations').set(user.auth).expect(403);
    await request(app.url).post('/api/admin/reconciliations').set(user.auth).expect(403);

    const holder = await createUser(app, mail);
    await fund(app, admin, holder, 'ETH', '2');
    np.setBalance('btc', 1000);
    np.setBalance('eth', 1.5, 0.75);
    const short = await request(app.url).post('/api/admin/reconciliations').set(admin.auth).expect(201);
    expect(short.body.reconciliation).toMatchObject({ trigger: 'admin', requestedBy: admin.id, status: 'short', error: null, provider: 'nowpayments' });
    const eth = short.body.reconciliation.lines.find((l: { asset: string }) => l.asset === 'ETH');
    expect(eth).toEqual({
      asset: 'ETH',
      liabilities: '2.00000000',
      provider: '1.50000000',
      pending: '0.75000000',
      inFlight: '0.00000000',
      difference: '-0.50000000',
      status: 'short',
      currencies: ['eth'],
      backedBy: null,
    });
    expect(short.body.reconciliation.lines.find((l: { asset: string }) => l.asset === 'BTC')).toMatchObject({ status: 'covered', currencies: ['btc'] });

    np.setBalance('eth', 2);
    const ok = await request(app.url).post('/api/admin/reconciliations').set(admin.auth).expect(201);
    expect(ok.body.reconciliation).toMatchObject({ status: 'ok' });
    const page = await request(app.url).get('/api/admin/reconciliations?limit=2').set(admin.auth).expect(200);
    expect(page.body.items.map((r: { id: string }) => r.id)).toEqual([ok.body.reconciliation.id, short.body.reconciliation.id]);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const metrics = (await request(app.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^cryptovault_provider_reconcile_ok 1$/m);
    expect(metrics).toMatch(/^cryptovault_provider_reconcile_difference\{asset="ETH"\} 0$/m);
    expect(metrics).toMatch(/^cryptovault_provider_reconcile_last_run_timestamp_seconds \d+/m);
    const audit = await request(app.url).get('/api/admin/audit-logs?action=wallet.reconciliation_run').set(admin.auth).expect(200);
    expect(audit.body.items).toHaveLength(2);
  });

  it('resolves a stuck live payout with the provider: still under way is 409; failed or unknown there goes to an operator; a stuck status is written once', async () => {
    const resolve = (id: string) => request(app.url).post(`/api/admin/withdrawals/${id}/payout/resolve`).set(admin.auth);
    const o = await otherUser();
    const id = await withdraw('0.002', o);
    await approveAndSend(id);
    const [payout] = np.payoutsFor(id);
    const waiting = await resolve(id).expect(409);
    expect(waiting.body.error).toMatchObject({ code: 'PAYOUT_IN_PROGRESS', message: expect.stringContaining('WAITING') });

    // The provider's payout no longer matches (another address): every status check refuses it, recorded and audited once.
    np.payouts.get(payout.id)!.address = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
    np.setPayoutStatus(payout.id, 'FAILED', { error: 'Address rejected' });
    const refusedRows = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'wallet.payout_status_refused' AND details->>'withdrawalId' = $1`,
          [id],
        )
      )[0].n;
    await waitFor(async () => (await refusedRows()) > 0, 10_000, 'a status check to refuse it');
    const checks = np.requests.filter((r) => r.method === 'GET' && r.path === `/v1/payout/${payout.batch_withdrawal_id}`).length;
    await waitFor(
      async () => np.requests.filter((r) => r.method === 'GET' && r.path === `/v1/payout/${payout.batch_withdrawal_id}`).length >= checks + 2,
      10_000,
      'two more status checks',
    );
    expect(await refusedRows()).toBe(1);
    expect(await db.query(`SELECT count(*)::int AS n FROM withdrawal_payout_events WHERE withdrawal_id = $1 AND outcome = 'mismatch'`, [id])).toEqual([
      { n: 1 },
    ]);

    // FAILED at the provider: the payout goes to an operator, who rejects the withdrawal as usual.
    const failed = await resolve(id).expect(200);
    expect(failed.body.withdrawal).toMatchObject({
      status: 'approved',
      payout: { status: 'manual', manualReason: 'provider_failed', error: 'Address rejected' },
    });
    await request(app.url).post(`/api/admin/withdrawals/${id}/reject`).set(admin.auth).send({ reason: 'payout failed' }).expect(200);
    await resolve(id).expect(409);

    // Not at the provider at all: to an operator, who completes it with the hash.
    const gone = await withdraw('0.002', o);
    await approveAndSend(gone);
    np.payouts.delete(np.payoutsFor(gone)[0].id);
    expect((await resolve(gone).expect(200)).body.withdrawal.payout).toMatchObject({ status: 'manual', manualReason: 'not_at_provider' });
    await request(app.url)
      .post(`/api/admin/withdrawals/${gone}/complete`)
      .set(admin.auth)
      .send({ txHash: 'e'.repeat(64) })
      .expect(200);
    const audit = await db.query<{ actor_id: string; details: { outcome: string } }>(
      `SELECT actor_id, details FROM audit_logs WHERE action = 'wallet.payout_resolved' AND details->>'withdrawalId' = ANY($1) ORDER BY id`,
      [[id, gone]],
    );
    expect(audit.map((a) => [a.actor_id, a.details.outcome])).toEqual([
      [admin.id, 'manual'],
      [admin.id, 'manual'],
    ]);
  });

  it('stops sending automatically once the day’s automatic payouts would pass the daily cap: an operator sends the rest', async () => {
    // Each 0.004 BTC ≈ 417 USD is under the per-withdrawal cap; a few of them reach the daily cap of 1500.
    const reasons: (string | null)[] = [];
    for (let i = 0; i < 4 && !reasons.includes('over_daily_cap'); i++) {
      const id = await withdraw('0.004');
      const res = await approve(id).expect(200);
      reasons.push(res.body.withdrawal.payout.manualReason as string | null);
      if (res.body.withdrawal.payout.manualReason === 'over_daily_cap') expect(np.payoutsFor(id)).toEqual([]);
    }
    expect(reasons[reasons.length - 1]).toBe('over_daily_cap');
    const [{ usd }] = await db.query<{ usd: string }>(
      `SELECT sum(usd_value)::text AS usd FROM withdrawal_payouts WHERE status NOT IN ('manual', 'failed') AND created_at > now() - interval '24 hours'`,
    );
    expect(Number(usd)).toBeLessThanOrEqual(1500);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  // Last: the approving admin credits the second user here, so none of its withdrawals is sent automatically after it.
  it('never sends automatically to a user credited by a ledger adjustment lately, nor by the approving admin: an operator does', async () => {
    // Credited 0.001 BTC by another admin just now (within PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS).
    const o = await otherUser();
    await fund(app, funder, o.w, 'BTC', '0.001');
    const recent = await withdraw('0.002', o);
    expect((await approve(recent).expect(200)).body.withdrawal.payout).toMatchObject({ status: 'manual', manualReason: 'recent_adjustment' });
    // Long ago, but by the admin who approves: one admin alone never pays out what he credited.
    await backdateAdjustments(o.w);
    await fund(app, admin, o.w, 'BTC', '0.001');
    await backdateAdjustments(o.w);
    const own = await withdraw('0.002', o);
    expect((await approve(own).expect(200)).body.withdrawal.payout).toMatchObject({ status: 'manual', manualReason: 'recent_adjustment' });
    expect([...np.payoutsFor(recent), ...np.payoutsFor(own)]).toEqual([]);
    for (const id of [recent, own]) await request(app.url).post(`/api/admin/withdrawals/${id}/reject`).set(admin.auth).send({ reason: 'test' }).expect(200);
  });
});
