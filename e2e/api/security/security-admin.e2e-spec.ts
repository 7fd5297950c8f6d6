import request from 'supertest';
import { createUser, promoteToAdmin, TestUser, totpCode } from '../../support/factories';
import { balanceOf, fund, runReconcile } from '../../support/money';
import { useAppSuite } from '../../support/suite';
import { createWithdrawer } from '../../support/withdrawer';

jest.setTimeout(90_000);

/**
 * Issue 14 item 8: a rogue admin cannot mint money alone. Ledger adjustments
 * to one's own account are refused; once an admin's adjustments of the last
 * 24 h reach LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD (here 1000 USD), each further
 * one waits for a second admin. Withdrawals split under the dual-approval line
 * still need two admins once the user's 24-hour sum reaches it.
 */
describe('security: dual control of ledger adjustments and split withdrawals', () => {
  // BTC frozen at the snapshot (≈104k USD): 0.0006 BTC ≈ 62.55 USD, under the 100 USD withdrawal line; two of them are over it.
  const suite = useAppSuite({ SIMULATED_VOLATILITY: '0', LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD: '1000', WITHDRAWAL_DUAL_APPROVAL_USD: '100' });
  let alice: TestUser; // admin who requests
  let bob: TestUser; // second admin
  let user: TestUser;

  const adjust = (admin: TestUser, body: Record<string, unknown>) =>
    request(suite.app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ asset: 'USD', reason: 'goodwill credit', ...body });
  const approve = (admin: TestUser, id: string) => request(suite.app.url).post(`/api/admin/ledger/adjustments/${id}/approve`).set(admin.auth).send({});
  const journals = async (id: string): Promise<number> =>
    Number((await suite.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_journals WHERE reference = $1`, [`adjustment:${id}`]))[0].n);

  beforeAll(async () => {
    alice = await createUser(suite.app, suite.mail, { admin: true });
    bob = await promoteToAdmin(suite.app, alice, await createUser(suite.app, suite.mail));
    user = await createUser(suite.app, suite.mail);
  });

  it('refuses an adjustment of the admin’s own account, moves nothing and audits the attempt', async () => {
    const res = await adjust(alice, { userId: alice.id, amount: '1000000' }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/own account/) });
    expect((await adjust(alice, { userId: alice.id, amount: '-1' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    // The same id in capitals is the same row to PostgreSQL: it must not pass the check (nor credit `user:<CAPITALS>`).
    expect((await adjust(alice, { userId: alice.id.toUpperCase(), amount: '5' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect(await balanceOf(suite.app, alice, 'USD')).toMatchObject({ available: '0.00' });
    const refused = await suite.db.query(`SELECT 1 FROM audit_logs WHERE action = 'ledger.adjustment_refused' AND actor_id = $1 AND user_id = $1`, [alice.id]);
    expect(refused.length).toBe(3);
    const rows = await suite.db.query(`SELECT 1 FROM ledger_journals WHERE user_id = $1`, [alice.id]);
    expect(rows).toEqual([]);
    expect(await suite.db.query(`SELECT account FROM balances WHERE account <> lower(account)`)).toEqual([]);
  });

  it('needs a second admin once one admin’s adjustments of 24 h reach the threshold; approved once, by someone else, audited with both', async () => {
    const first = await adjust(alice, { userId: user.id, amount: '400' }).expect(201);
    expect(first.body.adjustment).toMatchObject({ status: 'posted', amount: '400.00', usdValue: '400.00', requestedBy: alice.id, approvedBy: null });
    expect(first.body.journalId).toEqual(expect.any(String));
    await adjust(alice, { userId: user.id, amount: '-100' }).expect(201); // debits count too: 500 USD so far
    await adjust(alice, { userId: user.id, amount: '499.99' }).expect(201); // 999.99

    const held = await adjust(alice, { userId: user.id, amount: '0.02', reason: 'split credit' }).expect(202);
    const id = held.body.adjustment.id as string;
    expect(held.body).toMatchObject({
      journalId: null,
      adjustment: { id, status: 'pending', amount: '0.02', userId: user.id, requestedBy: alice.id, approvedBy: null },
    });
    expect(await balanceOf(suite.app, user, 'USD')).toMatchObject({ available: '799.99' });
    expect(await journals(id)).toBe(0);

    const pending = await request(suite.app.url).get('/api/admin/ledger/adjustments?status=pending').set(bob.auth).expect(200);
    expect(pending.body.items).toEqual([expect.objectContaining({ id, status: 'pending', userEmail: user.email, requestedByEmail: alice.email })]);

    // The requester cannot approve it, and nobody but admins sees or decides it.
    expect((await approve(alice, id).expect(403)).body.error.code).toBe('FORBIDDEN');
    await request(suite.app.url).get('/api/admin/ledger/adjustments').set(user.auth).expect(403);
    await approve(user, id).expect(403);
    expect(await balanceOf(suite.app, user, 'USD')).toMatchObject({ available: '799.99' });

    // Two approvals at once: one posts it, the other finds it decided.
    const [a, b] = await Promise.all([approve(bob, id), approve(bob, id)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ok = a.status === 200 ? a : b;
    expect(ok.body.adjustment).toMatchObject({ id, status: 'posted', requestedBy: alice.id, approvedBy: bob.id });
    expect(ok.body.journalId).toEqual(expect.any(String));
    expect(await balanceOf(suite.app, user, 'USD')).toMatchObject({ available: '800.01' });
    expect(await journals(id)).toBe(1);
    expect((await approve(bob, id).expect(409)).body.error.code).toBe('INVALID_STATE');

    const audit = await suite.db.query<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      `SELECT action, actor_id, details FROM audit_logs WHERE details->>'adjustmentId' = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((r) => r.action)).toEqual(['ledger.adjustment_requested', 'ledger.adjustment']);
    expect(audit[0]).toMatchObject({ actor_id: alice.id, details: { requestedBy: alice.id, amount: '0.02' } });
    expect(audit[1]).toMatchObject({ actor_id: bob.id, details: { requestedBy: alice.id, approvedBy: bob.id, journalId: ok.body.journalId } });
  });

  it('lets a second admin reject a held adjustment: nothing moves and it cannot be approved afterwards', async () => {
    const held = await adjust(alice, { userId: user.id, amount: '-5' }).expect(202);
    const id = held.body.adjustment.id as string;
    const before = await balanceOf(suite.app, user, 'USD');
    await request(suite.app.url).post(`/api/admin/ledger/adjustments/${id}/reject`).set(alice.auth).send({ reason: 'mine' }).expect(403);
    const rejected = await request(suite.app.url)
      .post(`/api/admin/ledger/adjustments/${id}/reject`)
      .set(bob.auth)
      .send({ reason: 'no ticket for this' })
      .expect(200);
    expect(rejected.body.adjustment).toMatchObject({ status: 'rejected', rejectedBy: bob.id, rejectReason: 'no ticket for this' });
    expect((await approve(bob, id).expect(409)).body.error.code).toBe('INVALID_STATE');
    expect(await balanceOf(suite.app, user, 'USD')).toEqual(before);
    const audit = await suite.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM audit_logs WHERE action = 'ledger.adjustment_rejected' AND details->>'adjustmentId' = $1`,
      [id],
    );
    expect(audit).toEqual([expect.objectContaining({ actor_id: bob.id, details: expect.objectContaining({ requestedBy: alice.id, rejectedBy: bob.id }) })]);
  });

  it('does not let the account holder approve an adjustment of their own account', async () => {
    const held = await adjust(alice, { userId: bob.id, amount: '250', reason: 'bonus for bob' }).expect(202);
    const id = held.body.adjustment.id as string;
    const res = await approve(bob, id).expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/own account/) });
    expect(await balanceOf(suite.app, bob, 'USD')).toMatchObject({ available: '0.00' });
    expect(await journals(id)).toBe(0);
    await request(suite.app.url).post(`/api/admin/ledger/adjustments/${id}/reject`).set(bob.auth).send({ reason: 'not for me to decide' }).expect(200);
  });

  it('counts a user’s withdrawals of 24 h together, so splitting an amount does not avoid dual approval', async () => {
    const holder = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC' });
    await fund(suite.app, bob, holder, 'BTC', '0.005'); // ≈ 520 USD: under bob's adjustment line
    const codes = [...(holder.backupCodes ?? [])];
    const withdraw = () =>
      request(suite.app.url)
        .post('/api/wallet/withdraw')
        .set(holder.auth)
        .send({ asset: 'BTC', addressId: holder.addressId, amount: '0.0006', twoFactorCode: codes.shift() ?? totpCode(holder.totpSecret!, 1) });

    const w1 = (await withdraw().expect(201)).body.withdrawal;
    expect(w1.requiredApprovals).toBe(1);
    const w2 = (await withdraw().expect(201)).body.withdrawal;
    expect(Number(w2.usdValue)).toBeLessThan(100);
    expect(w2.requiredApprovals).toBe(2);

    // One admin's approval does not release the second part.
    const first = await request(suite.app.url).post(`/api/admin/withdrawals/${w2.id}/approve`).set(alice.auth).expect(200);
    expect(first.body.withdrawal).toMatchObject({ status: 'pending', approvals: 1, requiredApprovals: 2 });
    const second = await request(suite.app.url).post(`/api/admin/withdrawals/${w2.id}/approve`).set(bob.auth).expect(200);
    expect(second.body.withdrawal).toMatchObject({ status: 'approved', approvals: 2 });

    // Cancelled withdrawals give their share of the window back.
    await request(suite.app.url).post(`/api/wallet/withdraw/${w1.id}/cancel`).set(holder.auth).expect(200);
    await request(suite.app.url).post(`/api/admin/withdrawals/${w2.id}/reject`).set(alice.auth).send({ reason: 'test' }).expect(200);
    const w3 = (await withdraw().expect(201)).body.withdrawal;
    expect(w3.requiredApprovals).toBe(1);
  });

  it('leaves the ledger balanced', async () => {
    const reconcile = await runReconcile(suite.db.url);
    expect(reconcile.code).toBe(0);
  });
});
