import { randomUUID } from 'node:crypto';
import { dec } from '../../../backend/src/common/money/decimal';
import { inTransaction } from '../../../backend/src/database/transaction';
import { DepositsRepository } from '../../../backend/src/wallet/deposits/deposits.repository';
import { LedgerAdjustmentsRepository } from '../../../backend/src/wallet/ledger-adjustments.repository';
import { WithdrawalAddressesRepository } from '../../../backend/src/wallet/addresses/withdrawal-addresses.repository';
import { WithdrawalsRepository } from '../../../backend/src/wallet/withdrawals/withdrawals.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/** The wallet's own tables, driven through their repositories on a template-cloned database. */
describe('wallet repositories (deposits, withdrawals, the address book, ledger adjustments)', () => {
  let m: MediumDatabase;
  let deposits: DepositsRepository;
  let withdrawals: WithdrawalsRepository;
  let adjustments: LedgerAdjustmentsRepository;
  let addresses: WithdrawalAddressesRepository;
  let userId: string;
  let adminId: string;
  let otherAdminId: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    deposits = new DepositsRepository(m.ds);
    withdrawals = new WithdrawalsRepository(m.ds);
    adjustments = new LedgerAdjustmentsRepository(m.ds);
    addresses = new WithdrawalAddressesRepository(m.ds);
    const ids: string[] = [];
    for (const email of ['holder@example.test', 'admin1@example.test', 'admin2@example.test']) {
      const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]);
      ids.push(row.id);
    }
    [userId, adminId, otherAdminId] = ids;
  });
  afterAll(() => m?.close());

  const newDeposit = (id: string, expiresAt: Date) => ({
    id,
    userId,
    provider: 'sandbox',
    providerPaymentId: `pay-${id.slice(0, 8)}`,
    priceAmount: '50.00',
    creditAsset: 'USD',
    payCurrency: 'btc',
    payAmount: '0.00071234',
    payAddress: 'bc1qexample',
    status: 'waiting',
    expiresAt,
  });

  it("records a deposit, pages a user's deposits newest first, and credits one once", async () => {
    const first = randomUUID();
    const second = randomUUID();
    await inTransaction(m.ds, (tx) => deposits.insert(tx, newDeposit(first, new Date(Date.now() + 3600_000))));
    await new Promise((r) => setTimeout(r, 5));
    const created = await inTransaction(m.ds, (tx) => deposits.insert(tx, newDeposit(second, new Date(Date.now() + 3600_000))));
    expect(created).toMatchObject({ id: second, userId, status: 'waiting', creditedAt: null });

    const page1 = await deposits.page(userId, 1);
    expect(page1.map((d) => d.id)).toEqual([second]);
    const page2 = await deposits.page(userId, 5, { createdAt: page1[0].createdAt, id: page1[0].id });
    expect(page2.map((d) => d.id)).toEqual([first]);
    expect(await deposits.findOwned(otherAdminId, first)).toBeUndefined();

    const journal = randomUUID();
    const credited = await inTransaction(m.ds, async (tx) => {
      const locked = await deposits.lockForProvider(tx, first, 'sandbox');
      expect(locked?.id).toBe(first);
      expect(await deposits.lockForProvider(tx, first, 'nowpayments')).toBeUndefined();
      await deposits.recordEvent(tx, {
        depositId: first,
        provider: 'sandbox',
        paymentId: 'p',
        orderId: first,
        status: 'finished',
        outcome: 'credited',
        payload: { ok: true },
      });
      return deposits.markCredited(tx, first, { status: 'finished', creditedBefore: '0', creditedTotal: '50', journalId: journal });
    });
    expect(credited).toMatchObject({ status: 'finished', journalId: journal, creditedAt: expect.any(Date), creditAsset: 'USD' });
    expect(credited.creditedAmount).toMatch(/^50(\.0+)?$/);
    // A second credit from the same starting point is refused, and leaves the first one as it was.
    await expect(
      inTransaction(m.ds, (tx) => deposits.markCredited(tx, first, { status: 'finished', creditedBefore: '0', creditedTotal: '50', journalId: randomUUID() })),
    ).rejects.toThrow('was credited meanwhile');
    expect((await deposits.findOwned(userId, first))?.journalId).toBe(journal);
  });

  it('expires only deposits waiting past their window and its grace, with an event each', async () => {
    const stale = randomUUID();
    const fresh = randomUUID();
    await inTransaction(m.ds, async (tx) => {
      await deposits.insert(tx, newDeposit(stale, new Date(Date.now() - 2 * 3600_000)));
      await deposits.insert(tx, newDeposit(fresh, new Date(Date.now() - 60_000)));
    });
    expect(await deposits.expireStale(600)).toBe(1);
    expect((await deposits.findOwned(userId, stale))?.status).toBe('expired');
    expect((await deposits.findOwned(userId, fresh))?.status).toBe('waiting');
    expect(await m.db.query(`SELECT outcome FROM deposit_events WHERE deposit_id = $1`, [stale])).toEqual([{ outcome: 'expired' }]);
    expect(await deposits.expireStale(600)).toBe(0);
  });

  it("counts a user's withdrawals of the last 24 hours, records approvals once per admin, and pages them", async () => {
    const id = randomUUID();
    const addressId = randomUUID();
    await inTransaction(m.ds, async (tx) => {
      await addresses.insert(tx, { ...newAddress(addressId, 'bc1qexample'), confirmExpiresAt: new Date(Date.now() + 60_000) });
      await withdrawals.serializeUser(tx, userId);
      await withdrawals.insert(tx, {
        id,
        userId,
        asset: 'BTC',
        network: 'bitcoin',
        address: 'bc1qexample',
        addressId,
        addressLabel: 'Cold wallet',
        amount: dec('0.01'),
        fee: dec('0.0001'),
        usdValue: dec('600'),
        requiredApprovals: 2,
      });
    });
    expect(dec(await withdrawals.usedToday(userId)).toFixed()).toBe('600');
    const first = await inTransaction(m.ds, (tx) => withdrawals.addApproval(tx, id, adminId));
    const twice = await inTransaction(m.ds, (tx) => withdrawals.addApproval(tx, id, adminId));
    const second = await inTransaction(m.ds, (tx) => withdrawals.addApproval(tx, id, otherAdminId));
    expect([first, twice, second]).toEqual([
      { added: true, count: 1 },
      { added: false, count: 0 },
      { added: true, count: 2 },
    ]);
    await inTransaction(m.ds, async (tx) => {
      expect((await withdrawals.lock(tx, id, userId))?.status).toBe('pending');
      expect(await withdrawals.lock(tx, id, adminId)).toBeUndefined();
      await withdrawals.markRejected(tx, id, 'address on a sanctions list');
    });
    expect(await withdrawals.find(id)).toMatchObject({
      status: 'rejected',
      reject_reason: 'address on a sanctions list',
      approvals: 2,
      address_id: addressId,
      address_label: 'Cold wallet',
    });
    // Rejected withdrawals no longer count towards the daily limit.
    expect(dec(await withdrawals.usedToday(userId)).toFixed()).toBe('0');
    expect((await withdrawals.page({ status: 'rejected' }, 10)).map((w) => w.id)).toEqual([id]);
    expect((await withdrawals.page({ status: 'pending' }, 10)).map((w) => w.id)).toEqual([]);
    expect((await withdrawals.page({ userId }, 10)).map((w) => w.id)).toEqual([id]);
  });

  const newAddress = (id: string, address: string) => ({
    id,
    userId,
    label: 'Cold wallet',
    asset: 'BTC',
    network: 'bitcoin',
    address,
    confirmTokenHash: `hash-${id}`,
    confirmExpiresAt: new Date(Date.now() + 60_000),
  });

  it('confirms a saved address once by its token hash, never an expired or removed one, and holds it for the given time', async () => {
    const [live, expired, removed] = [randomUUID(), randomUUID(), randomUUID()];
    await inTransaction(m.ds, async (tx) => {
      await addresses.insert(tx, newAddress(live, 'addr-live'));
      await addresses.insert(tx, { ...newAddress(expired, 'addr-expired'), confirmExpiresAt: new Date(Date.now() - 1_000) });
      await addresses.insert(tx, newAddress(removed, 'addr-removed'));
      expect(await addresses.remove(tx, userId, removed)).toMatchObject({ id: removed, removed_at: expect.any(Date) });
      expect(await addresses.remove(tx, adminId, live)).toBeUndefined();
    });
    const confirmed = await addresses.confirm(`hash-${live}`, 3_600_000);
    expect(confirmed).toMatchObject({ id: live, confirmed_at: expect.any(Date) });
    expect(new Date(confirmed!.usable_from!).getTime() - new Date(confirmed!.confirmed_at!).getTime()).toBe(3_600_000);
    expect(await addresses.confirm(`hash-${live}`, 0)).toBeUndefined();
    expect(await addresses.confirm(`hash-${expired}`, 0)).toBeUndefined();
    expect(await addresses.confirm(`hash-${removed}`, 0)).toBeUndefined();
    expect((await addresses.listLive(userId)).map((a) => a.id)).toEqual(expect.arrayContaining([live, expired]));
    expect((await addresses.listLive(userId)).map((a) => a.id)).not.toContain(removed);
    expect(await addresses.find(adminId, live)).toBeUndefined();
  });

  it('turns the allowlist lock on at once and schedules its end once, until the end has passed', async () => {
    await inTransaction(m.ds, async (tx) => {
      expect(await addresses.scheduleUnlock(tx, otherAdminId, 60_000)).toBeUndefined();
      expect(await addresses.lock(tx, otherAdminId)).toMatchObject({ unlocks_at: null });
      const first = await addresses.scheduleUnlock(tx, otherAdminId, 60_000);
      const again = await addresses.scheduleUnlock(tx, otherAdminId, 3_600_000);
      expect(again?.unlocks_at).toEqual(first?.unlocks_at);
      // Locking again cancels the scheduled end.
      expect(await addresses.lock(tx, otherAdminId)).toMatchObject({ unlocks_at: null });
    });
  });

  it("sums an admin's adjustments of the last 24 hours and decides a pending one once", async () => {
    const posted = randomUUID();
    const pending = randomUUID();
    // A posted adjustment names its journal (the table's CHECK): one posted by the ledger, here written directly.
    const [journal] = await m.db.query<{ id: string }>(
      `INSERT INTO ledger_journals (type, reference, description) VALUES ('adjustment', $1, 'goodwill') RETURNING id`,
      [`adjustment:${posted}`],
    );
    await inTransaction(m.ds, async (tx) => {
      await adjustments.serializeAdmin(tx, adminId);
      await adjustments.insert(tx, {
        id: posted,
        userId,
        asset: 'USD',
        amount: dec(100),
        usdValue: dec(100),
        reason: 'goodwill',
        status: 'posted',
        requestedBy: adminId,
        journalId: journal.id,
      });
      await adjustments.insert(tx, {
        id: pending,
        userId,
        asset: 'USD',
        amount: dec(-40),
        usdValue: dec(40),
        reason: 'chargeback',
        status: 'pending',
        requestedBy: adminId,
        journalId: null,
      });
    });
    expect(dec(await inTransaction(m.ds, (tx) => adjustments.requestedToday(tx, adminId, ['pending', 'posted']))).toFixed()).toBe('140');
    expect((await adjustments.page('pending', 10)).map((a) => a.id)).toEqual([pending]);
    await inTransaction(m.ds, async (tx) => {
      expect((await adjustments.lock(tx, pending))?.status).toBe('pending');
      await adjustments.markRejected(tx, pending, otherAdminId, 'not a chargeback');
    });
    const row = await inTransaction(m.ds, (tx) => adjustments.find(tx, pending));
    expect(row).toMatchObject({ status: 'rejected', rejected_by: otherAdminId, reject_reason: 'not a chargeback', decided_at: expect.any(Date) });
    expect(dec(await inTransaction(m.ds, (tx) => adjustments.requestedToday(tx, adminId, ['pending', 'posted']))).toFixed()).toBe('100');
  });
});
