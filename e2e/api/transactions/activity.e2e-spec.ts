import Decimal from 'decimal.js';
import request from 'supertest';
import { createUser, type TestUser } from '../../support/factories';
import { balanceOf, fund, waitForPrices } from '../../support/money';
import { allPages } from '../../support/pages';
import { useAppSuite } from '../../support/suite';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

/**
 * The activity (GET /api/transactions/activity) and the CSV statement (API.md "Transactions") of a history made through
 * the app at still prices (SIMULATED_VOLATILITY=0): a funding, a market buy with its fee, a limit order placed and
 * cancelled (a hold and its release: no event), a conversion of bitcoin into ether, a withdrawal (its request's hold is
 * no event; it shows once completed) and a second withdrawal left pending. One row per event, with its legs, fee, price,
 * USD value and the totals after it, to the cent; the CSV's new columns say the same per ledger row.
 */
jest.setTimeout(180_000);

/** An amount as the API writes it: at least 2 decimals for USD and 8 for crypto, every decimal it has. */
const amount = (d: Decimal.Value, asset: string): string => new Decimal(d).toFixed(Math.max(asset === 'USD' ? 2 : 8, new Decimal(d).decimalPlaces()));
const cents = (d: Decimal.Value): string => new Decimal(d).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

interface Activity {
  id: string;
  type: string;
  createdAt: string;
  description: string;
  reference: string;
  legs: { asset: string; amount: string; balanceAfter: string }[];
  fee: { asset: string; amount: string } | null;
  price: string | null;
  usdValue: string | null;
  lines: { id: string; kind: string; asset: string; bucket: string; amount: string }[];
}

/** RFC 4180 records (quoted fields with doubled quotes and line breaks), each as a record keyed by the header. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else {
      field += c;
    }
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('transactions: activity, one row per business event, and the CSV statement', () => {
  const suite = useAppSuite({ SIMULATED_VOLATILITY: '0', WITHDRAWAL_DUAL_APPROVAL_USD: '1000000', WITHDRAWAL_DAILY_LIMIT_USD: '1000000' });
  let admin: TestUser;
  let user: Withdrawer;
  let other: TestUser;
  let btc: Decimal;
  const api = () => request(suite.app.url);
  const activity = (who: TestUser, query: Record<string, string | number> = {}) => api().get('/api/transactions/activity').query(query).set(who.auth);

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    [user, other] = await Promise.all([createWithdrawer(suite.app, suite.mail, { asset: 'BTC' }), createUser(suite.app, suite.mail)]);
    await waitForPrices(suite.app);
    btc = new Decimal((await api().get('/api/prices/BTC').expect(200)).body.price as string);
  });

  it('shows each event once with its legs, fee, price, USD value and totals after, and its ledger lines when expanded', async () => {
    await fund(suite.app, admin, other, 'USD', '50');
    await fund(suite.app, admin, user, 'USD', '1000');
    // $300.30 buys $300.00 of bitcoin and pays a $0.30 fee.
    const buy = await api().post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '300.30' }).expect(201);
    const q = new Decimal(buy.body.order.quantity as string);
    expect(buy.body.order.fee).toBe('0.30');
    // A limit order held and cancelled moves nothing: no event.
    const limit = await api()
      .post('/api/orders')
      .set(user.auth)
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', limitPrice: '1000' })
      .expect(201);
    await api().delete(`/api/orders/${limit.body.order.id}`).set(user.auth).expect(200);
    const quote = await api().post('/api/convert/quotes').set(user.auth).send({ from: 'BTC', to: 'ETH', amount: '0.0005' }).expect(201);
    await api().post('/api/convert').set(user.auth).send({ quoteId: quote.body.quote.id }).expect(201);
    const [give, convertFee, receive] = ['give', 'fee', 'receive'].map((k) => new Decimal(quote.body.quote[k] as string));
    const withdraw = (code: string) =>
      api().post('/api/wallet/withdraw').set(user.auth).send({ asset: 'BTC', amount: '0.0005', addressId: user.addressId, twoFactorCode: code }).expect(201);
    const w = await withdraw(user.backupCodes![0]);

    // The request holds 0.0006 BTC: not an event while it waits.
    const pending = (await activity(user).expect(200)).body.items as Activity[];
    expect(pending.map((e) => e.type)).toEqual(['convert', 'trade', 'adjustment']);

    await api().post(`/api/admin/withdrawals/${w.body.withdrawal.id}/approve`).set(admin.auth).expect(200);
    await api()
      .post(`/api/admin/withdrawals/${w.body.withdrawal.id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' })
      .expect(200);
    // A second request left pending: its hold is no event, and the total after the last event stays the total now.
    await withdraw(user.backupCodes![1]);
    // The ingesting instance writes its open candles when they are read: the closes at each event's time are recorded.
    await api().get('/api/crypto/BTC/candles?interval=1m').expect(200);

    const items = (await activity(user).expect(200)).body.items as Activity[];
    expect(items.map((e) => e.type)).toEqual(['withdrawal', 'convert', 'trade', 'adjustment']);
    const [withdrawal, convert, trade, funding] = items;
    const usdAfterTrade = new Decimal(1000).sub('300.30');
    const btcAfterConvert = q.sub(give);
    const btcAfterWithdrawal = btcAfterConvert.sub('0.0006');

    expect(funding).toMatchObject({
      type: 'adjustment',
      description: 'test funding',
      legs: [{ asset: 'USD', amount: '1000.00', balanceAfter: '1000.00' }],
      fee: null,
      price: null,
      usdValue: '1000.00',
      lines: [{ id: expect.any(String), kind: 'adjustment', asset: 'USD', bucket: 'available', amount: '1000.00' }],
    });

    // The execution price from the legs ($300.00 for q BTC), the order's fill price to the cent.
    expect(trade).toMatchObject({
      type: 'trade',
      reference: `order:${buy.body.order.id}:fill`,
      legs: [
        { asset: 'BTC', amount: amount(q, 'BTC'), balanceAfter: amount(q, 'BTC') },
        { asset: 'USD', amount: '-300.00', balanceAfter: amount(usdAfterTrade, 'USD') },
      ],
      fee: { asset: 'USD', amount: '0.30' },
      price: cents(new Decimal(300).div(q)),
      usdValue: '300.00',
    });
    expect(trade.price).toBe(cents(buy.body.order.filledPrice as string));
    expect(trade.lines.map((l) => [l.kind, l.asset, l.bucket, l.amount])).toEqual([
      ['trade', 'USD', 'available', '-300.00'],
      ['trade', 'BTC', 'available', amount(q, 'BTC')],
      ['fee', 'USD', 'available', '-0.30'],
    ]);

    // Bitcoin into ether: no USD price; worth the bitcoin converted (fee apart) at its close.
    const net = give.sub(convertFee);
    expect(convert).toMatchObject({
      type: 'convert',
      legs: [
        { asset: 'BTC', amount: amount(net.neg(), 'BTC'), balanceAfter: amount(btcAfterConvert, 'BTC') },
        { asset: 'ETH', amount: amount(receive, 'ETH'), balanceAfter: amount(receive, 'ETH') },
      ],
      fee: { asset: 'BTC', amount: amount(convertFee, 'BTC') },
      price: null,
      usdValue: cents(net.mul(btc)),
    });

    // The withdrawal, once sent: 0.0005 BTC out and its 0.0001 BTC fee, from the held bucket; priced at the close.
    expect(withdrawal).toMatchObject({
      type: 'withdrawal',
      reference: `withdrawal:${w.body.withdrawal.id}:complete`,
      legs: [{ asset: 'BTC', amount: '-0.00050000', balanceAfter: amount(btcAfterWithdrawal, 'BTC') }],
      fee: { asset: 'BTC', amount: '0.00010000' },
      price: cents(btc),
      usdValue: cents(btc.mul('0.0005')),
    });
    expect(withdrawal.lines.map((l) => [l.kind, l.bucket, l.amount])).toEqual([
      ['withdrawal', 'locked', '-0.00050000'],
      ['fee', 'locked', '-0.00010000'],
    ]);
    // The newest totals after are the wallet's totals now (the pending hold moves nothing out of them).
    expect(new Decimal((await balanceOf(suite.app, user, 'BTC')).total).eq(btcAfterWithdrawal)).toBe(true);
    expect(new Decimal((await balanceOf(suite.app, user, 'USD')).total).eq(usdAfterTrade)).toBe(true);

    // Pages, filters: the same events whatever the page size; by type, by any leg's asset, by time.
    const ids = (events: Activity[]) => events.map((e) => e.id);
    expect(ids(await allPages<Activity>(suite.app, user, '/api/transactions/activity', { limit: 1 }))).toEqual(ids(items));
    expect(ids((await activity(user, { type: 'trade' }).expect(200)).body.items)).toEqual([trade.id]);
    expect(ids(await allPages<Activity>(suite.app, user, '/api/transactions/activity', { asset: 'btc', limit: 2 }))).toEqual([
      withdrawal.id,
      convert.id,
      trade.id,
    ]);
    expect(ids((await activity(user, { asset: 'ETH' }).expect(200)).body.items)).toEqual([convert.id]);
    expect(ids((await activity(user, { from: trade.createdAt, to: withdrawal.createdAt }).expect(200)).body.items)).toEqual([convert.id, trade.id]);

    // Another user's events never appear, either way.
    const theirs = (await activity(other).expect(200)).body.items as Activity[];
    expect(theirs.map((e) => [e.type, e.legs])).toEqual([['adjustment', [{ asset: 'USD', amount: '50.00', balanceAfter: '50.00' }]]]);
    expect(ids(items)).not.toContain(theirs[0].id);

    // The CSV: the list's columns first, then the event's; one line per ledger row, as before.
    const csv = await api().get('/api/transactions/export.csv').set(user.auth).expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('id,type,asset,amount,status,description,reference,createdAt,eventId,price,fee,feeAsset,usdValue,balanceAfter');
    const rows = parseCsv(csv.text);
    const cells = (eventId: string) =>
      rows.filter((r) => r.eventId === eventId).map((r) => [r.type, r.asset, r.amount, r.price, r.fee, r.feeAsset, r.usdValue, r.balanceAfter]);
    expect(cells(trade.id)).toEqual([
      ['fee', 'USD', '-0.30', '', '', '', '', amount(usdAfterTrade, 'USD')],
      ['trade', 'BTC', amount(q, 'BTC'), trade.price, '0.30', 'USD', '300.00', amount(q, 'BTC')],
      ['trade', 'USD', '-300.00', trade.price, '0.30', 'USD', '300.00', '700.00'],
    ]);
    expect(cells(withdrawal.id)).toEqual([
      ['fee', 'BTC', '-0.00010000', '', '', '', '', amount(btcAfterWithdrawal, 'BTC')],
      ['withdrawal', 'BTC', '-0.00050000', cents(btc), '0.00010000', 'BTC', withdrawal.usdValue, amount(btcAfterWithdrawal.add('0.0001'), 'BTC')],
    ]);
    expect(cells(funding.id)).toEqual([['adjustment', 'USD', '1000.00', '', '', '', '1000.00', '1000.00']]);
    // Every row belongs to an event; no hold or release is a row.
    expect(rows.every((r) => ids(items).includes(r.eventId))).toBe(true);
    expect(rows).toHaveLength(1 + 3 + 3 + 2);
    // `event` keeps the rows of one type of event, as the activity's filter: a conversion's three rows.
    const converts = parseCsv((await api().get('/api/transactions/export.csv').query({ event: 'convert' }).set(user.auth).expect(200)).text);
    expect(converts.map((r) => [r.eventId, r.type, r.asset])).toEqual([
      [convert.id, 'trade', 'ETH'],
      [convert.id, 'fee', 'BTC'],
      [convert.id, 'trade', 'BTC'],
    ]);
    await api().get('/api/transactions/export.csv').query({ event: 'order_hold' }).set(user.auth).expect(400);
  });

  it('refuses a cursor it did not issue and a type that is not an event, in the one error shape', async () => {
    for (const [query, field] of [
      [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      [{ cursor: Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11'])).toString('base64url') }, 'cursor'],
      [{ type: 'order_hold' }, 'type'],
      [{ asset: 'B-T' }, 'asset'],
      [{ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'to'],
    ] as const) {
      const res = await activity(user, query).expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, message: expect.any(String) }] });
    }
    await api().get('/api/transactions/activity').expect(401);
  });
});
