import { randomUUID } from 'node:crypto';
import { dec } from '../../../backend/src/common/money/decimal';
import { inTransaction } from '../../../backend/src/database/transaction';
import { LedgerReaderRepository } from '../../../backend/src/ledger/reader/ledger-reader.repository';
import { ProviderReconciliationsRepository } from '../../../backend/src/wallet/reconciliation/provider-reconciliations.repository';
import { PayoutsRepository } from '../../../backend/src/wallet/withdrawals/payouts/payouts.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/** The payout tables (`withdrawal_payouts`, `withdrawal_payout_events`), `provider_reconciliations` and the ledger's liabilities, on a template-cloned database. */
describe('payouts and reconciliation repositories', () => {
  let m: MediumDatabase;
  let payouts: PayoutsRepository;
  let userId: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    payouts = new PayoutsRepository(m.ds);
    const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('payouts@example.test', 'x', 'x') RETURNING id`);
    userId = row.id;
  });
  afterAll(() => m?.close());

  /** An approved withdrawal worth `usd`, as the payout rows reference one. */
  async function withdrawal(usd = '200'): Promise<string> {
    const id = randomUUID();
    await m.db.query(
      `INSERT INTO withdrawals (id, user_id, asset, network, address, amount, fee, usd_value, status, required_approvals)
       VALUES ($1, $2, 'BTC', 'bitcoin', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 0.002, 0.0001, $3, 'approved', 1)`,
      [id, userId, usd],
    );
    return id;
  }
  const payout = (withdrawalId: string, usd = '200') => ({
    withdrawalId,
    provider: 'nowpayments',
    currency: 'btc',
    amount: dec('0.002'),
    address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    usdValue: dec(usd),
  });

  it('lets the planner renew its own claim, nobody take a live one, and anyone take one that expired: one holder at a time', async () => {
    const id = await withdrawal();
    const token = randomUUID();
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(id), token, 60_000));
    expect(await payouts.claim(id, randomUUID(), 60_000, true)).toBeUndefined();
    expect(await payouts.claim(id, token, 60_000, false)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await payouts.abandoned(100)).not.toContain(id);
    await payouts.release(id, token);
    expect(await payouts.abandoned(100)).toContain(id);
    // Two instances resume it at the same moment: one claim wins.
    const [a, b] = await Promise.all([payouts.claim(id, randomUUID(), 60_000, true), payouts.claim(id, randomUUID(), 60_000, true)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((a ?? b)!.attempts).toBe(2);
  });

  it('records the provider once: its ids, then verified; a settled payout takes no more', async () => {
    const id = await withdrawal();
    const token = randomUUID();
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(id), token, 60_000));
    expect(await payouts.recordProvider(id, { batchId: '5000000191', payoutId: '5000000713', status: 'CREATING', state: 'created' }, token)).toBe(true);
    // Another payout id for the same withdrawal is never recorded over it.
    expect(await payouts.recordProvider(id, { batchId: '5000000192', payoutId: '5000000714', status: 'CREATING', state: 'created' })).toBe(false);
    expect(await payouts.markVerified(id, token, { batchId: '5000000191', payoutId: '5000000713' })).toBe(true);
    const [sent] = await m.db.query<{ details: Record<string, string> }>(
      `SELECT details FROM audit_logs WHERE action = 'wallet.payout_sent' AND details->>'withdrawalId' = $1`,
      [id],
    );
    expect(sent.details).toEqual({ withdrawalId: id, batchId: '5000000191', payoutId: '5000000713' });
    expect(await payouts.findByProviderId('nowpayments', '5000000713', null)).toMatchObject({
      withdrawal_id: id,
      status: 'processing',
      provider_batch_id: '5000000191',
    });
    expect(await payouts.findByProviderId('nowpayments', '1', id)).toMatchObject({ withdrawal_id: id });
    await inTransaction(m.ds, (tx) =>
      payouts.markFinished(tx, id, { batchId: '5000000191', payoutId: '5000000713', status: 'FINISHED', hash: 'a'.repeat(64) }),
    );
    expect(await payouts.recordProvider(id, { batchId: '5000000191', payoutId: '5000000713', status: 'SENDING', state: 'processing' })).toBe(false);
    expect(await payouts.markManual(id, 'provider_refused', 'late')).toBe(false);
    expect(await payouts.find(id)).toMatchObject({ status: 'finished', tx_hash: 'a'.repeat(64), claim_token: null });
  });

  it('records and verifies only under a claim still held: a sender whose claim was taken over writes nothing and may not verify', async () => {
    const id = await withdrawal();
    const a = randomUUID();
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(id), a, 60_000));
    expect(await payouts.renew(id, a, 60_000)).toBe(true);
    // A's claim runs out while it is still looking the payout up; B takes it over, creates P2 and records it.
    await payouts.release(id, a);
    const b = randomUUID();
    expect(await payouts.claim(id, b, 60_000, true)).toMatchObject({ status: 'sending' });
    expect(await payouts.renew(id, a, 60_000)).toBe(false);
    expect(await payouts.recordProvider(id, { batchId: '5000000501', payoutId: '5000000601', status: 'CREATING', state: 'created' }, a)).toBe(false);
    expect(await payouts.recordProvider(id, { batchId: '5000000502', payoutId: '5000000602', status: 'CREATING', state: 'created' }, b)).toBe(true);
    expect(await payouts.markVerified(id, a, { batchId: '5000000502', payoutId: null })).toBe(false);
    expect(await payouts.find(id)).toMatchObject({ status: 'created', provider_payout_id: '5000000602' });
    expect(await payouts.markVerified(id, b, { batchId: '5000000502', payoutId: null })).toBe(true);
    expect(await payouts.find(id)).toMatchObject({ status: 'processing', provider_payout_id: '5000000602' });
  });

  it('checks payouts under way with no news for a while, each once per interval', async () => {
    const id = await withdrawal();
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(id), randomUUID(), 60_000));
    await payouts.recordProvider(id, { batchId: '5000000291', payoutId: '5000000813', status: 'WAITING', state: 'processing' });
    await new Promise((r) => setTimeout(r, 60));
    expect((await payouts.takeStale(50, 100)).map((r) => r.withdrawal_id)).toContain(id);
    expect((await payouts.takeStale(50, 100)).map((r) => r.withdrawal_id)).not.toContain(id);
  });

  it('adds up the automatic payouts of 24 hours for the daily cap (not those left to operators or failed), and what verified ones are sending', async () => {
    const counted = dec(await inTransaction(m.ds, (tx) => payouts.automaticUsdToday(tx)));
    const manual = await withdrawal('5000');
    await inTransaction(m.ds, (tx) => payouts.insertManual(tx, payout(manual, '5000'), 'over_withdrawal_cap'));
    const failed = await withdrawal('300');
    await inTransaction(m.ds, async (tx) => {
      await payouts.insertSending(tx, payout(failed, '300'), randomUUID(), 60_000);
      await payouts.markFailed(tx, failed, { batchId: '1', payoutId: '5000000999', status: 'FAILED', error: 'no funds' });
    });
    const live = await withdrawal('250');
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(live, '250'), randomUUID(), 60_000));
    expect(
      dec(await inTransaction(m.ds, (tx) => payouts.automaticUsdToday(tx)))
        .sub(counted)
        .toFixed(),
    ).toBe('250');
    const before = await payouts.inFlight();
    await payouts.recordProvider(live, { batchId: '5000000391', payoutId: '5000000913', status: 'WAITING', state: 'processing' });
    const after = await payouts.inFlight();
    const btc = (rows: { currency: string; amount: string }[]) => dec(rows.find((r) => r.currency === 'btc')?.amount ?? '0');
    expect(btc(after).sub(btc(before)).toFixed()).toBe('0.002');
    // A `created` row the provider already reports past CREATING (verified, record pending) is in flight too.
    const verified = await withdrawal('250');
    await inTransaction(m.ds, (tx) => payouts.insertSending(tx, payout(verified, '250'), randomUUID(), 60_000));
    await payouts.recordProvider(verified, { batchId: '5000000392', payoutId: '5000000914', status: 'CREATING', state: 'created' });
    expect(
      btc(await payouts.inFlight())
        .sub(btc(after))
        .toFixed(),
    ).toBe('0');
    await m.db.query(`UPDATE withdrawal_payouts SET provider_status = 'WAITING' WHERE withdrawal_id = $1`, [verified]);
    expect(
      btc(await inTransaction(m.ds, (tx) => payouts.inFlight(tx)))
        .sub(btc(after))
        .toFixed(),
    ).toBe('0.002');
  });

  it('keeps every reconciliation, newest first by pages; the ledger reader sums what users own per asset', async () => {
    const recon = new ProviderReconciliationsRepository(m.ds);
    const first = await recon.insert({
      provider: 'nowpayments',
      trigger: 'schedule',
      requestedBy: null,
      status: 'error',
      lines: [],
      error: 'down',
      durationMs: 3,
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = await recon.insert({ provider: 'nowpayments', trigger: 'admin', requestedBy: userId, status: 'ok', lines: [], error: null, durationMs: 4 });
    expect((await recon.latest())?.id).toBe(second.id);
    const [top] = await recon.page(1);
    expect(top.id).toBe(second.id);
    expect((await recon.page(5, { createdAt: new Date(top.created_at), id: top.id })).map((r) => r.id)).toEqual([first.id]);

    await m.db.query(`INSERT INTO balances (account, asset, shard, available, locked) VALUES ($1, 'ETH', 0, 1.5, 0.25), ('platform:fees', 'ETH', 0, 7, 0)`, [
      `user:${userId}`,
    ]);
    expect(await new LedgerReaderRepository(m.ds).userLiabilities()).toEqual([{ asset: 'ETH', amount: '1.750000000000000000' }]);
  });
});
