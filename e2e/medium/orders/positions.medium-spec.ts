import type { AppConfig } from '../../../backend/src/config/config.service';
import { dec } from '../../../backend/src/common/money/decimal';
import { inTransaction } from '../../../backend/src/database/transaction';
import { LedgerRepository } from '../../../backend/src/ledger/ledger.repository';
import { LedgerService } from '../../../backend/src/ledger/ledger.service';
import { EXTERNAL_DEPOSITS, userAccount } from '../../../backend/src/ledger/ledger.types';
import { priceExecution } from '../../../backend/src/orders/order-pricing';
import { MarketFill, OrdersRepository } from '../../../backend/src/orders/orders.repository';
import { PositionsRepository } from '../../../backend/src/orders/positions.repository';
import { PositionsReader } from '../../../backend/src/orders/positions.reader';
import { TradeExecutor } from '../../../backend/src/orders/trade-executor';
import { WebhookOutbox } from '../../../backend/src/auth/api-keys/webhooks/webhook-outbox';
import { WebhookOutboxRepository } from '../../../backend/src/auth/api-keys/webhooks/webhook-outbox.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/**
 * A market order's statement as orders builds it: the ledger's journals plus
 * orders' own parts (the order rows, the cost basis) handed over as values;
 * then a resting order's fill through OrdersRepository and PositionsRepository.
 */
describe('OrdersRepository / PositionsRepository / PositionsReader with the ledger', () => {
  let m: MediumDatabase;
  let ledger: LedgerService;
  let orders: OrdersRepository;
  let positions: PositionsRepository;
  let executor: TradeExecutor;
  let reader: PositionsReader;
  let userId: string;

  const config = { get: (key: string) => (key === 'ledgerPlatformShards' ? 2 : undefined) } as unknown as AppConfig;
  const fee = dec('0.001');

  /** Posts market fills exactly as MarketOrderBatcher does. */
  async function postMarket(fills: MarketFill[]) {
    await positions.ensureRows(m.ds.manager, fills);
    return ledger.postManyInOneStatement<{ id: string; status: string; quantity: string }>(
      m.ds.manager,
      fills.map((f) => ({
        type: 'trade',
        reference: `order:${f.id}:fill`,
        userId: f.userId,
        lines: executor.tradeLines(f.userId, f.symbol, f.side, f.e, 'available'),
      })),
      { parts: [positions.costBasisPart(fills), orders.marketOrdersPart(fills)], select: 'SELECT * FROM o' },
    );
  }

  beforeAll(async () => {
    m = await mediumDatabase();
    ledger = new LedgerService(config, new LedgerRepository(m.ds));
    orders = new OrdersRepository(m.ds);
    positions = new PositionsRepository(m.ds);
    executor = new TradeExecutor(ledger, orders, positions, new WebhookOutbox(new WebhookOutboxRepository()));
    reader = new PositionsReader(positions);
    const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('orders@example.test', 'x', 'x') RETURNING id`);
    userId = row.id;
    await inTransaction(m.ds, (tx) =>
      ledger.post(tx, {
        type: 'deposit',
        reference: 'fund',
        userId,
        lines: [
          { account: userAccount(userId), asset: 'USD', amount: dec(1000), bucket: 'available', kind: 'deposit' },
          { account: EXTERNAL_DEPOSITS, asset: 'USD', amount: dec(-1000), bucket: 'available', kind: 'deposit' },
        ],
      }),
    );
  });
  afterAll(() => m?.close());

  it('writes the order row, the journal and the cost basis in one statement, and sells pro rata', async () => {
    const buy = priceExecution('buy', dec(100), fee, { quantity: dec(2) });
    const [order] = await postMarket([{ id: crypto.randomUUID(), userId, symbol: 'BTC', side: 'buy', e: buy, price: dec(100) }]);
    expect(order).toMatchObject({ status: 'filled' });
    expect(dec(order.quantity).toFixed()).toBe('2');
    let [p] = await reader.ofUser(userId);
    expect([p.asset, p.quantity.toFixed(), p.cost.toFixed()]).toEqual(['BTC', '2', buy.notional.add(buy.fee).toFixed()]);

    const sell = priceExecution('sell', dec(150), fee, { quantity: dec(1) });
    await postMarket([{ id: crypto.randomUUID(), userId, symbol: 'BTC', side: 'sell', e: sell, price: dec(150) }]);
    [p] = await reader.ofUser(userId);
    const halfCost = buy.notional.add(buy.fee).div(2);
    expect([p.quantity.toFixed(), p.cost.toFixed()]).toEqual(['1', halfCost.toFixed()]);
    expect(p.realizedPnl.toFixed()).toBe(sell.notional.sub(sell.fee).sub(halfCost).toFixed());
    const listed = await orders.page(userId, { status: 'filled' }, 10);
    expect(listed.map((o) => o.side)).toEqual(['sell', 'buy']);
  });

  it('rests a limit order and fills it once through the trade executor', async () => {
    const id = crypto.randomUUID();
    const resting = await inTransaction(m.ds, async (tx) => {
      const locked = await executor.lockTradeBalances(tx, userId, 'ETH');
      await ledger.hold(
        tx,
        { account: userAccount(userId), asset: 'USD', amount: dec(101), type: 'order_hold', reference: `order:${id}:hold`, userId },
        locked,
      );
      return orders.insertResting(tx, {
        id,
        userId,
        symbol: 'ETH',
        side: 'buy',
        type: 'limit',
        quantity: dec(1),
        limitPrice: '100',
        stopPrice: null,
        reservedAsset: 'USD',
        reserved: dec(101),
      });
    });
    expect(resting).toMatchObject({ id, status: 'open', reservedAmount: expect.stringMatching(/^101/) });
    const filled = await inTransaction(m.ds, (tx) => executor.fillResting(tx, id, dec(100), fee));
    expect(filled).toMatchObject({ id, status: 'filled' });
    expect(await inTransaction(m.ds, (tx) => executor.fillResting(tx, id, dec(100), fee))).toBeNull();
    const eth = (await reader.ofUser(userId)).find((p) => p.asset === 'ETH')!;
    expect(eth.quantity.toFixed()).toBe('1');
    expect(await orders.findOwn(userId, id)).toMatchObject({ status: 'filled', reservedAmount: expect.stringMatching(/^0/) });
  });
});
