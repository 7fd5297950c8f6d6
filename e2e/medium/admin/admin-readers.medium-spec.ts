import { UsersReaderRepository } from '../../../backend/src/auth/users/users-reader.repository';
import { UsersReader } from '../../../backend/src/auth/users/users.reader';
import { LedgerAdminReaderRepository } from '../../../backend/src/ledger/ledger-admin-reader.repository';
import { LedgerAdminReader } from '../../../backend/src/ledger/ledger-admin.reader';
import { OrdersAdminReaderRepository } from '../../../backend/src/orders/orders-admin-reader.repository';
import { OrdersAdminReader } from '../../../backend/src/orders/orders-admin.reader';
import { WalletAdminReaderRepository } from '../../../backend/src/wallet/wallet-admin-reader.repository';
import { WalletAdminReader } from '../../../backend/src/wallet/wallet-admin.reader';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/** The readers the back office's figures and trade list go through, over the tables their modules own. */
describe('admin readers (users, orders, wallet, ledger as the back office reads them)', () => {
  let m: MediumDatabase;
  let users: UsersReader;
  let orders: OrdersAdminReader;
  let wallet: WalletAdminReader;
  let ledger: LedgerAdminReader;
  const ids: string[] = [];

  beforeAll(async () => {
    m = await mediumDatabase();
    users = new UsersReader(new UsersReaderRepository(m.ds));
    orders = new OrdersAdminReader(new OrdersAdminReaderRepository(m.ds));
    wallet = new WalletAdminReader(new WalletAdminReaderRepository(m.ds));
    ledger = new LedgerAdminReader(new LedgerAdminReaderRepository(m.ds));
    for (const [email, verified, suspended] of [
      ['a@r.test', true, false],
      ['b@r.test', true, true],
      ['c@r.test', false, false],
    ] as const) {
      const [row] = await m.db.query<{ id: string }>(
        `INSERT INTO users (email, name, password_hash, email_verified_at, suspended_at) VALUES ($1, 'x', 'x', CASE WHEN $2 THEN now() END, CASE WHEN $3 THEN now() END) RETURNING id`,
        [email, verified, suspended],
      );
      ids.push(row.id);
    }
    await m.db.query(
      `INSERT INTO sessions (user_id, expires_at, last_used_at) VALUES ($1, now() + interval '1 day', now()), ($1, now() + interval '1 day', now()), ($2, now() + interval '1 day', now() - interval '8 days')`,
      [ids[0], ids[1]],
    );
  });
  afterAll(() => m?.close());

  it('counts accounts: total, verified, suspended, and those active in the last 7 days', async () => {
    expect(await users.counts()).toEqual({ total: 3, verified: 2, suspended: 1, active7d: 1 });
  });

  it('gives the filled trades of the last 24 hours and their USD volume exactly, to the cent', async () => {
    expect(await orders.filledLast24h()).toEqual({ count: 0, volume: '0.00' });
    await m.db.query(
      `INSERT INTO orders (user_id, symbol, side, type, status, quantity, filled_price, filled_at) VALUES
         ($1, 'BTC', 'buy', 'market', 'filled', '0.000000000000000001', '100000.005', now()),
         ($1, 'ETH', 'sell', 'market', 'filled', '1.5', '3000.10', now() - interval '1 hour'),
         ($2, 'BTC', 'buy', 'market', 'filled', '2', '50000', now() - interval '25 hours'),
         ($2, 'BTC', 'buy', 'limit', 'open', '1', NULL, NULL)`,
      [ids[0], ids[1]],
    );
    expect(await orders.filledLast24h()).toEqual({ count: 2, volume: '4500.15' });
  });

  it('pages every user’s orders newest first, with filters and keyset pages, in the entity’s shape', async () => {
    await m.db.query(
      `UPDATE orders SET created_at = now() - make_interval(secs => ord) FROM (SELECT id, row_number() OVER (ORDER BY symbol, quantity) AS ord FROM orders) o WHERE orders.id = o.id`,
    );
    const all = await orders.page({ limit: 10 });
    expect(all).toHaveLength(4);
    expect(all.map((o) => o.createdAt.getTime())).toEqual([...all.map((o) => o.createdAt.getTime())].sort((a, b) => b - a));
    const eth = all.find((o) => o.symbol === 'ETH')!;
    expect(eth).toMatchObject({
      userId: ids[0],
      side: 'sell',
      type: 'market',
      status: 'filled',
      quantity: '1.500000000000000000',
      filledPrice: '3000.100000000000000000',
      feeAsset: 'USD',
      limitPrice: null,
    });
    expect((await orders.page({ userId: ids[1], limit: 10 })).map((o) => o.userId)).toEqual([ids[1], ids[1]]);
    expect((await orders.page({ symbol: 'BTC', status: 'open', limit: 10 })).map((o) => o.type)).toEqual(['limit']);
    expect((await orders.page({ side: 'sell', type: 'market', limit: 10 })).map((o) => o.symbol)).toEqual(['ETH']);
    const next = await orders.page({ before: { createdAt: all[1].createdAt, id: all[1].id }, limit: 10 });
    expect(next.map((o) => o.id)).toEqual(all.slice(2).map((o) => o.id));
    expect(await orders.page({ from: new Date(Date.now() + 60_000), limit: 10 })).toEqual([]);
  });

  it('counts deposits still open with the provider and withdrawals awaiting review', async () => {
    expect(await wallet.pending()).toEqual({ deposits: 0, withdrawals: 0 });
    for (const status of ['waiting', 'confirming', 'finished', 'expired']) {
      await m.db.query(
        `INSERT INTO deposits (id, user_id, provider, provider_payment_id, price_amount, pay_currency, pay_amount, pay_address, status, expires_at)
         VALUES (gen_random_uuid(), $1, 'sim', gen_random_uuid()::text, 10, 'usdt', 10, 'addr', $2, now() + interval '1 hour')`,
        [ids[0], status],
      );
    }
    for (const status of ['pending', 'pending', 'approved', 'rejected']) {
      await m.db.query(
        `INSERT INTO withdrawals (id, user_id, asset, network, address, amount, fee, usd_value, status) VALUES (gen_random_uuid(), $1, 'BTC', 'bitcoin', 'addr', 1, 0, 1, $2)`,
        [ids[0], status],
      );
    }
    expect(await wallet.pending()).toEqual({ deposits: 2, withdrawals: 2 });
  });

  it('gives the fees collected per asset as the sum of the fee account’s shards, available and locked', async () => {
    expect(await ledger.feesCollected()).toEqual([]);
    await m.db.query(
      `INSERT INTO balances (account, asset, shard, available, locked) VALUES
         ('platform:fees', 'USD', 0, '1.005', '0'), ('platform:fees', 'USD', 1, '2.000000001', '0.5'),
         ('platform:fees', 'BTC', 0, '0.00000001', '0'), ('user:${ids[0]}', 'USD', 0, '99', '0')`,
    );
    expect(await ledger.feesCollected()).toEqual([
      { asset: 'BTC', amount: '0.00000001' },
      { asset: 'USD', amount: '3.50500000' },
    ]);
  });
});
