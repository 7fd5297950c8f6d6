import { dec, type Dec } from '../../common/money/decimal';
import { computePerformance, type Movement, type PerformanceInput } from './performance-calc';

const t = (iso: string): Date => new Date(`2026-11-${iso}Z`);
let seq = 0;
/** One journal's movements: [asset, total, flow, fee]. */
const journal = (at: string, ...moves: [string, string, string?, string?][]): Movement[] => {
  const id = `j${++seq}`;
  return moves.map(([asset, total, flow, fee]) => ({ journalId: id, at: t(at), asset, total, flow: flow ?? '0', fee: fee ?? '0' }));
};
/** BTC at 100,000 until the 10th, then 120,000. */
const btc = (at: Date): Dec => (at < t('10T00:00:00') ? dec(100000) : dec(120000));
const input = (movements: Movement[], extra: Partial<PerformanceInput> = {}): PerformanceInput => ({
  movements,
  lots: [],
  rangeStart: null,
  to: t('20T00:00:00'),
  pointTimes: () => [],
  price: (asset, at) => (asset === 'BTC' ? btc(at) : null),
  ...extra,
});

describe('computePerformance', () => {
  it('does not count a deposit as a gain (the value history said "+$5,249.06" for a deposit of $5,249.06)', () => {
    const p = computePerformance(input(journal('02T10:00:00', ['USD', '5249.06', '5249.06'])))!;
    expect(p.startValue.toString()).toBe('0');
    expect(p.endValue.toString()).toBe('5249.06');
    expect(p.netFlows.toString()).toBe('5249.06');
    expect(p.gain.toString()).toBe('0');
    expect(p.twr!.toString()).toBe('0');
    // The chart starts at the first funding, not with days of $0 before the account existed.
    expect(p.from).toEqual(t('02T10:00:00'));
    expect(p.points[0]).toMatchObject({ at: t('02T10:00:00') });
    expect(p.points[0].value.toString()).toBe('5249.06');
  });

  it('splits a deposit, a buy, a price rise and a withdrawal into net flows, gain and TWR (hand-computed)', () => {
    const movements = [
      // Deposit 10,000 USD.
      ...journal('02T10:00:00', ['USD', '10000', '10000']),
      // Buy 0.05 BTC at 100,000: 5,000 + 5 fee.
      ...journal('03T10:00:00', ['USD', '-5005', '0', '-5'], ['BTC', '0.05']),
      // BTC at 120,000 from the 10th. Withdraw 0.01 BTC (fee 0.0001 BTC) on the 12th.
      ...journal('12T10:00:00', ['BTC', '-0.0101', '-0.01', '-0.0001']),
    ];
    const p = computePerformance(input(movements, { pointTimes: () => [t('05T00:00:00'), t('11T00:00:00')] }))!;
    // Flows: +10,000; −0.01 × 120,000 = −1,200. Net 8,800.
    expect([p.inflows, p.outflows, p.netFlows].map(String)).toEqual(['10000', '1200', '8800']);
    // End: 4,995 USD + 0.0399 BTC × 120,000 = 4,995 + 4,788 = 9,783. Gain = 9,783 − 0 − 8,800 = 983
    //   (= +1,000 on 0.05 BTC from 100k to 120k − 5 buy fee − 12 withdrawal fee).
    expect(p.endValue.toString()).toBe('9783');
    expect(p.gain.toString()).toBe('983');
    expect(p.fees.toString()).toBe('17');
    // TWR: [deposit → withdrawal] 10,000 → 10,995 (4,995 + 0.05 × 120,000); [withdrawal → end] 10,995 − 1,200 = 9,795 → 9,783.
    //   1.0995 × 9783 / 9795 − 1 = 0.098152986... → 9.82 %
    expect(p.twr!.toDecimalPlaces(9).toString()).toBe('0.098152986');
    expect(p.points.map((x) => [x.at.getUTCDate(), x.value.toString(), x.netFlows.toString()])).toEqual([
      [2, '10000', '10000'],
      [5, '9995', '10000'], // 4,995 + 0.05 × 100,000 (before the rise): the buy's fee is the only change
      [11, '10995', '10000'],
      [20, '9783', '8800'],
    ]);
    // BTC at average cost: bought 0.05 for 5,005 (fee included). The withdrawal takes 0.01 of 0.05 of the cost
    // (1,001) and realises nothing; its fee, 0.0001 of the 0.04 left, takes 10.01 of the cost for no proceeds
    // (realised −10.01). Left: 0.0399 BTC costing 3,993.99, worth 4,788: unrealised 794.01. Fees: 5 + 0.0001 × 120,000.
    expect(p.assets.map((a) => [a.symbol, a.source, a.quantity, a.costBasis, a.value, a.unrealised, a.realised, a.fees].map(String))).toEqual([
      ['BTC', 'account', '0.0399', '3993.99', '4788', '794.01', '-10.01', '17'],
    ]);
  });

  it('counts a tracked lot from its acquisition date, as a flow at its cost', () => {
    const p = computePerformance(
      input(journal('02T10:00:00', ['USD', '1000', '1000']), {
        lots: [{ symbol: 'BTC', acquiredAt: t('04T00:00:00'), quantity: dec('0.01'), unitCost: dec(90000) }],
        rangeStart: t('03T00:00:00'),
      }),
    )!;
    // Start (the 3rd): 1,000. The lot: +900 flow (its cost); worth 0.01 × 120,000 = 1,200 at the end: gain 300.
    expect([p.startValue, p.netFlows, p.endValue, p.gain].map(String)).toEqual(['1000', '900', '2200', '300']);
    // TWR: [3rd → 4th] 1,000 → 1,000 + the lot at 100,000: 1,000 + 900 → 1,000 + 1,200 at the end: 2,200 / 1,900.
    expect(p.twr!.toDecimalPlaces(6).toString()).toBe('0.157895');
    expect(p.assets.map((a) => [a.symbol, a.source, String(a.unrealised)])).toEqual([['BTC', 'tracked', '300']]);
  });
});
