import { dec } from '../../common/money/decimal';
import { type LedgerEvent, lotActions, type OwnerInput, type PriceAt } from './lot-actions';
import { holdingTerm, type LotAction, matchLots, methodAt, type MethodChange } from './lot-matching';

const at = (iso: string) => new Date(iso);
const noOwner: OwnerInput = { costs: new Map(), ownWalletWithdrawals: new Set() };
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** A market buy: `usd` paid in all (notional + fee), the fee part apart. */
function buy(when: string, asset: string, qty: string, notional: string, fee: string): LedgerEvent {
  const paid = dec(notional).add(fee);
  return {
    journalId: id(),
    type: 'trade',
    reference: 'order:x:fill',
    at: at(when),
    legs: [
      { asset, change: dec(qty), fee: dec(0) },
      { asset: 'USD', change: paid.neg(), fee: dec(fee).neg() },
    ],
  };
}
/** A market sell: `notional` before the fee, the fee out of it. */
function sell(when: string, asset: string, qty: string, notional: string, fee: string): LedgerEvent {
  return {
    journalId: id(),
    type: 'trade',
    reference: 'order:x:fill',
    at: at(when),
    legs: [
      { asset, change: dec(qty).neg(), fee: dec(0) },
      { asset: 'USD', change: dec(notional).sub(fee), fee: dec(fee).neg() },
    ],
  };
}
const book = (events: LedgerEvent[], methods: MethodChange[] = [], owner = noOwner, price: PriceAt = () => null) =>
  matchLots(lotActions(events, owner, price), methods);
const fixed = (pieces: ReturnType<typeof book>['pieces']) =>
  pieces.map((p) => ({
    lot: p.lotId,
    qty: p.quantity.toFixed(),
    proceeds: p.proceeds?.toDecimalPlaces(8).toFixed() ?? null,
    cost: p.costBasis?.toDecimalPlaces(8).toFixed() ?? null,
    fee: p.fee?.toDecimalPlaces(8).toFixed() ?? null,
    gain: p.gain?.toDecimalPlaces(8).toFixed() ?? null,
    term: p.term,
    method: p.method,
    closure: p.closure,
  }));

describe('lot matching', () => {
  // Three lots of 1 BTC at 100, 300 and 200 (each with a $1 fee in its cost), then a sale of 1.5 BTC for 600 less a $0.60 fee.
  const history = () => {
    const a = buy('2025-01-10T10:00:00Z', 'BTC', '1', '100', '1');
    const b = buy('2025-02-10T10:00:00Z', 'BTC', '1', '300', '1');
    const c = buy('2025-03-10T10:00:00Z', 'BTC', '1', '200', '1');
    const s = sell('2025-04-10T10:00:00Z', 'BTC', '1.5', '600', '0.6');
    return { a, b, c, s, events: [a, b, c, s] };
  };

  it('FIFO closes the oldest lots first, splitting the last one, with the buy fees in the cost and the sale fee out of the proceeds', () => {
    const h = history();
    const r = book(h.events);
    expect(fixed(r.pieces)).toEqual([
      { lot: h.a.journalId, qty: '1', proceeds: '399.6', cost: '101', fee: '0.4', gain: '298.6', term: 'short', method: 'fifo', closure: 'sale' },
      { lot: h.b.journalId, qty: '0.5', proceeds: '199.8', cost: '150.5', fee: '0.2', gain: '49.3', term: 'short', method: 'fifo', closure: 'sale' },
    ]);
    expect(r.lots.map((l) => [l.remaining.toFixed(), l.remainingCost?.toFixed()])).toEqual([
      ['0', '0'],
      ['0.5', '150.5'],
      ['1', '201'],
    ]);
  });

  it('HIFO closes the highest cost per unit first', () => {
    const h = history();
    const r = book(h.events, [{ method: 'hifo', effectiveFrom: at('2025-01-01T00:00:00Z') }]);
    expect(fixed(r.pieces).map((p) => [p.lot, p.qty, p.cost, p.gain, p.method])).toEqual([
      [h.b.journalId, '1', '301', '98.6', 'hifo'],
      [h.c.journalId, '0.5', '100.5', '99.3', 'hifo'],
    ]);
  });

  it('LIFO closes the newest lots first', () => {
    const h = history();
    const r = book(h.events, [{ method: 'lifo', effectiveFrom: at('2025-01-01T00:00:00Z') }]);
    expect(fixed(r.pieces).map((p) => [p.lot, p.qty, p.cost])).toEqual([
      [h.c.journalId, '1', '201'],
      [h.b.journalId, '0.5', '150.5'],
    ]);
  });

  it('shares a partly sold lot’s cost by quantity and gives the last piece exactly what is left, so thirds lose nothing', () => {
    const a = buy('2025-01-10T10:00:00Z', 'ETH', '3', '100', '0');
    const sells = [1, 2, 3].map((i) => sell(`2025-02-0${i}T10:00:00Z`, 'ETH', '1', '50', '0'));
    const r = book([a, ...sells]);
    const costs = r.pieces.map((p) => p.costBasis!);
    expect(costs.reduce((s, c) => s.add(c), dec(0)).toFixed()).toBe('100');
    expect(r.lots[0].remaining.isZero()).toBe(true);
    expect(r.lots[0].remainingCost!.isZero()).toBe(true);
  });

  it('a method change applies from its date: disposals before it keep the old method', () => {
    const a = buy('2025-01-10T10:00:00Z', 'BTC', '1', '100', '0');
    const b = buy('2025-02-10T10:00:00Z', 'BTC', '1', '300', '0');
    const c = buy('2025-03-10T10:00:00Z', 'BTC', '1', '200', '0');
    const early = sell('2025-04-10T10:00:00Z', 'BTC', '1', '250', '0');
    const late = sell('2025-06-10T10:00:00Z', 'BTC', '1', '250', '0');
    const methods: MethodChange[] = [{ method: 'hifo', effectiveFrom: at('2025-05-01T00:00:00Z') }];
    const r = book([a, b, c, early, late], methods);
    expect(fixed(r.pieces).map((p) => [p.lot, p.method])).toEqual([
      [a.journalId, 'fifo'],
      [b.journalId, 'hifo'],
    ]);
    expect(methodAt(methods, at('2025-04-30T23:59:59Z'))).toBe('fifo');
    expect(methodAt(methods, at('2025-05-01T00:00:00Z'))).toBe('hifo');
  });

  it('a conversion disposes of what was given at the USD value of what was received, and opens a lot at that value; its fee, in the asset given, is valued at the same rate', () => {
    const a = buy('2025-01-10T10:00:00Z', 'BTC', '0.1', '10000', '10');
    // 0.05 BTC given: 0.04995005 converted + 0.00004995 fee; 1.5 ETH received at 3,330 = 4,995.
    const conv: LedgerEvent = {
      journalId: id(),
      type: 'convert',
      reference: 'convert:q',
      at: at('2025-02-01T00:00:00Z'),
      legs: [
        { asset: 'BTC', change: dec('-0.05'), fee: dec('-0.00004995') },
        { asset: 'ETH', change: dec('1.5'), fee: dec(0) },
      ],
    };
    const price = (asset: string) => (asset === 'ETH' ? dec('3330') : null);
    const r = book([a, conv], [], noOwner, price);
    expect(fixed(r.pieces)).toEqual([
      {
        lot: a.journalId,
        qty: '0.05',
        proceeds: '4995',
        cost: '5005',
        fee: expect.stringMatching(/^4\.99/),
        gain: '-10',
        term: 'short',
        method: 'fifo',
        closure: 'convert',
      },
    ]);
    // fee value = 4,995 × 0.00004995 ÷ 0.04995005 = 4.995 (to the cent).
    expect(r.pieces[0].fee!.toDecimalPlaces(2).toFixed()).toBe('4.99');
    expect(r.lots[1]).toMatchObject({ asset: 'ETH', origin: 'convert', id: conv.journalId });
    expect(r.lots[1].cost!.toFixed()).toBe('4995');
  });

  it('a withdrawal is a disposal at market value unless marked as to the owner’s own wallet, then a transfer without gain', () => {
    const a = buy('2025-01-10T10:00:00Z', 'BTC', '0.05', '5000', '5');
    const w = (wid: string): LedgerEvent => ({
      journalId: id(),
      type: 'withdrawal',
      reference: `withdrawal:${wid}:complete`,
      at: at('2025-03-01T00:00:00Z'),
      legs: [{ asset: 'BTC', change: dec('-0.0101'), fee: dec('-0.0001') }],
    });
    const wid = '11111111-1111-4111-8111-111111111111';
    const price = () => dec('120000');
    const sold = book([a, w(wid)], [], noOwner, price);
    expect(fixed(sold.pieces)).toEqual([
      { lot: a.journalId, qty: '0.0101', proceeds: '1200', cost: '1011.01', fee: '12', gain: '188.99', term: 'short', method: 'fifo', closure: 'withdrawal' },
    ]);
    const moved = book([a, w(wid)], [], { costs: new Map(), ownWalletWithdrawals: new Set([wid]) }, price);
    expect(fixed(moved.pieces)).toEqual([
      { lot: a.journalId, qty: '0.0101', proceeds: '0', cost: '1011.01', fee: '0', gain: null, term: 'short', method: 'fifo', closure: 'transferred' },
    ]);
    expect(moved.lots[0].remaining.toFixed()).toBe('0.0399');
  });

  it('a deposit in kind opens a lot of unknown cost until its owner enters it; a sale from it has an unknown gain', () => {
    const dep: LedgerEvent = {
      journalId: id(),
      type: 'deposit',
      reference: 'deposit:np:1',
      at: at('2025-01-01T00:00:00Z'),
      legs: [{ asset: 'BTC', change: dec('0.05'), fee: dec(0) }],
    };
    const s = sell('2025-02-01T00:00:00Z', 'BTC', '0.05', '5000', '5');
    expect(fixed(book([dep, s]).pieces)[0]).toMatchObject({ cost: null, gain: null, proceeds: '4995' });
    const entered = book([dep, s], [], { costs: new Map([[dep.journalId, dec('2000')]]), ownWalletWithdrawals: new Set() });
    expect(fixed(entered.pieces)[0]).toMatchObject({ cost: '2000', gain: '2995' });
  });

  it('reports what disposals took beyond the open lots (the ledger and the lots disagree)', () => {
    const actions: LotAction[] = [
      {
        kind: 'dispose',
        journalId: id(),
        seq: 0,
        at: at('2025-01-01T00:00:00Z'),
        asset: 'BTC',
        quantity: dec('0.1'),
        closure: 'sale',
        proceeds: dec(10),
        fee: dec(0),
      },
    ];
    expect(matchLots(actions, []).uncovered.get('BTC')?.toFixed()).toBe('0.1');
  });
});

describe('short or long term (held more than one year)', () => {
  it('is short when disposed of on the first anniversary and long from the next day', () => {
    expect(holdingTerm(at('2024-03-01T10:00:00Z'), at('2025-03-01T23:59:59Z'))).toBe('short');
    expect(holdingTerm(at('2024-03-01T10:00:00Z'), at('2025-03-02T00:00:00Z'))).toBe('long');
    expect(holdingTerm(at('2024-03-01T10:00:00Z'), at('2024-12-31T00:00:00Z'))).toBe('short');
  });

  it('counts the anniversary of 29 February as 28 February', () => {
    expect(holdingTerm(at('2024-02-29T12:00:00Z'), at('2025-02-28T12:00:00Z'))).toBe('short');
    expect(holdingTerm(at('2024-02-29T12:00:00Z'), at('2025-03-01T00:00:00Z'))).toBe('long');
  });

  it('gives each piece of one sale its own lot’s term', () => {
    const old = buy('2024-01-10T10:00:00Z', 'BTC', '1', '100', '0');
    const recent = buy('2025-01-10T10:00:00Z', 'BTC', '1', '100', '0');
    const s = sell('2025-01-11T10:00:00Z', 'BTC', '2', '400', '0');
    expect(book([old, recent, s]).pieces.map((p) => p.term)).toEqual(['long', 'short']);
  });
});
