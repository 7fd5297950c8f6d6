import { randomUUID } from 'node:crypto';
import { dec } from '../../../backend/src/common/money/decimal';
import { inTransaction } from '../../../backend/src/database/transaction';
import { CashOutQuotesRepository, type NewCashOutQuote } from '../../../backend/src/wallet/cash-out/cash-out-quotes.repository';
import { WithdrawalAddressesRepository } from '../../../backend/src/wallet/addresses/withdrawal-addresses.repository';
import { WithdrawalsRepository } from '../../../backend/src/wallet/withdrawals/withdrawals.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/** USD cash-out quotes (`cash_out_quotes`) and the cash-out columns of `withdrawals`, on a template-cloned database. */
describe('cash-out quotes repository', () => {
  let m: MediumDatabase;
  let quotes: CashOutQuotesRepository;
  let withdrawals: WithdrawalsRepository;
  let userId: string;
  let otherId: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    quotes = new CashOutQuotesRepository(m.ds);
    withdrawals = new WithdrawalsRepository(m.ds);
    const ids: string[] = [];
    for (const email of ['cash-out@example.test', 'someone-else@example.test']) {
      const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]);
      ids.push(row.id);
    }
    [userId, otherId] = ids;
  });
  afterAll(() => m?.close());

  const terms = (over: Partial<NewCashOutQuote> = {}): NewCashOutQuote => ({
    userId,
    asset: 'USDT',
    network: 'tron',
    usdAmount: dec('100'),
    fee: dec('0.0999001'),
    price: dec('1.0002'),
    converted: dec('99.88012387'),
    networkFee: dec('2.5'),
    ttlMs: 10_000,
    ...over,
  });

  it('stores a quote for its lifetime on the database clock, and shows it to its owner only', async () => {
    const q = await quotes.insert(terms());
    expect(q).toMatchObject({ userId, asset: 'USDT', network: 'tron', status: 'open', withdrawalId: null, usedAt: null });
    expect(new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime()).toBe(10_000);
    expect(dec(q.usdAmount).toFixed()).toBe('100');
    expect(await quotes.findOwn(userId, q.id)).toMatchObject({ quote: { id: q.id }, expired: false });
    expect(await quotes.findOwn(otherId, q.id)).toBeUndefined();
    expect(await inTransaction(m.ds, (tx) => quotes.lockOwn(tx, otherId, q.id))).toBeUndefined();
  });

  it('says a quote expired once its time is up, and sweeps only expired quotes never used', async () => {
    const short = await quotes.insert(terms({ ttlMs: 1 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(await inTransaction(m.ds, (tx) => quotes.lockOwn(tx, userId, short.id))).toMatchObject({ expired: true });
    const used = await quotes.insert(terms({ ttlMs: 1 }));
    await inTransaction(m.ds, (tx) => quotes.markUsed(tx, used.id, randomUUID()));
    await new Promise((r) => setTimeout(r, 20));
    expect(await quotes.deleteExpired(0)).toBeGreaterThanOrEqual(1);
    expect(await quotes.findOwn(userId, short.id)).toBeUndefined();
    expect(await quotes.findOwn(userId, used.id)).toMatchObject({ quote: { status: 'used' } });
  });

  it('marks a quote used once, and never lets two withdrawals name one quote', async () => {
    const q = await quotes.insert(terms());
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await inTransaction(m.ds, (tx) => quotes.markUsed(tx, q.id, first))).toBe(true);
    expect(await inTransaction(m.ds, (tx) => quotes.markUsed(tx, q.id, second))).toBe(false);
    expect(await quotes.findOwn(userId, q.id)).toMatchObject({ quote: { status: 'used', withdrawalId: first } });

    const addressId = randomUUID();
    await inTransaction(m.ds, (tx) =>
      new WithdrawalAddressesRepository(m.ds).insert(tx, {
        id: addressId,
        userId,
        label: 'Tron wallet',
        asset: 'USDT',
        network: 'tron',
        address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        confirmTokenHash: `hash-${addressId}`,
        confirmExpiresAt: new Date(Date.now() + 60_000),
      }),
    );
    const withdrawal = (id: string) => ({
      id,
      userId,
      asset: 'USDT',
      network: 'tron',
      address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      addressId,
      addressLabel: 'Tron wallet',
      amount: dec('97.38012387'),
      fee: dec('2.5'),
      usdValue: dec('100'),
      requiredApprovals: 1,
      cashOut: { quoteId: q.id, usdAmount: dec('100'), fee: dec('0.0999001'), price: dec('1.0002') },
    });
    await inTransaction(m.ds, (tx) => withdrawals.insert(tx, withdrawal(first)));
    expect(await withdrawals.find(first)).toMatchObject({ source_asset: 'USD', cash_out_quote_id: q.id });
    await expect(inTransaction(m.ds, (tx) => withdrawals.insert(tx, withdrawal(second)))).rejects.toThrow(/withdrawals_cash_out_quote/);
  });
});
