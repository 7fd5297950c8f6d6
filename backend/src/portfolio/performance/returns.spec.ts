import { dec } from '../../common/money/decimal';
import { moneyWeightedReturn, ratePercent, timeWeightedReturn } from './returns';

const day = (n: number): Date => new Date(Date.UTC(2026, 0, 1 + n));

describe('timeWeightedReturn', () => {
  it('chains the sub-periods cut at a deposit and a withdrawal (hand-computed)', () => {
    // Day 0: 1,000 invested. Day 10: it has grown to 1,100 (+10 %), then 500 are deposited → 1,600.
    // Day 20: 1,600 fell to 1,440 (−10 %), then 440 are withdrawn → 1,000. Day 30: 1,050 (+5 %).
    //   TWR = (1100 / 1000) × (1440 / 1600) × (1050 / 1000) − 1 = 1.1 × 0.9 × 1.05 − 1 = 1.0395 − 1 = 0.0395 → 3.95 %
    // The simple "gain over money in" view would read 1050 − 1000 − 500 + 440 = −10 on 1,500: a loss, though every
    // dollar invested earned 3.95 % over the month.
    const twr = timeWeightedReturn(
      dec(1000),
      [
        { at: day(10), valueBefore: dec(1100), amount: dec(500) },
        { at: day(20), valueBefore: dec(1440), amount: dec(-440) },
      ],
      dec(1050),
    );
    expect(twr?.toString()).toBe('0.0395');
    expect(ratePercent(twr!)).toBe('3.95');
  });

  it('starts at the first funding: a period that began at no value is not a sub-period', () => {
    // Start 0; day 5: 2,000 deposited (value before 0: no growth measured); day 30: 2,100 → 2100 / 2000 − 1 = 5 %.
    expect(timeWeightedReturn(dec(0), [{ at: day(5), valueBefore: dec(0), amount: dec(2000) }], dec(2100))?.toString()).toBe('0.05');
    // Everything withdrawn at day 10 (after +10 %), 1,000 deposited again at day 20, worth 900 at the end:
    //   1.1 × (0 sub-period skipped) × 0.9 − 1 = −0.01
    expect(
      timeWeightedReturn(
        dec(1000),
        [
          { at: day(10), valueBefore: dec(1100), amount: dec(-1100) },
          { at: day(20), valueBefore: dec(0), amount: dec(1000) },
        ],
        dec(900),
      )?.toString(),
    ).toBe('-0.01');
  });

  it('is null when nothing was ever invested', () => {
    expect(timeWeightedReturn(dec(0), [], dec(0))).toBeNull();
  });
});

describe('moneyWeightedReturn', () => {
  it('equals the TWR when the growth is the same in every sub-period (hand-computed)', () => {
    // Day 0: 1,000. +10 % every 10 days. Day 10: 1,100, deposit 500 → 1,600. Day 20: 1,760, withdraw 440 → 1,320.
    // Day 30: 1,452. TWR = 1.1³ − 1 = 0.331.
    // IRR: with g = 1 + r over the 30 days and u = g^(1/3) (10 days), the flows grown to day 30 must make the end value:
    //   1000·u³ + 500·u² − 440·u = 1452;  u = 1.1: 1331 + 605 − 484 = 1452 ✓  → r = 1.1³ − 1 = 0.331 → 33.10 %
    const mwr = moneyWeightedReturn(
      day(0),
      day(30),
      dec(1000),
      [
        { at: day(10), amount: dec(500) },
        { at: day(20), amount: dec(-440) },
      ],
      dec(1452),
    );
    expect(ratePercent(mwr!.period)).toBe('33.10');
    expect(mwr!.period.toDecimalPlaces(10).toString()).toBe('0.331');
    expect(mwr!.annualised).toBeNull(); // 30 days are not annualised
    expect(
      ratePercent(
        timeWeightedReturn(
          dec(1000),
          [
            { at: day(10), valueBefore: dec(1100), amount: dec(500) },
            { at: day(20), valueBefore: dec(1760), amount: dec(-440) },
          ],
          dec(1452),
        )!,
      ),
    ).toBe('33.10');
  });

  it('weighs the money that was there: a large deposit before a fall (hand-computed)', () => {
    // Day 0: 1,000. Day 10: 1,200 (+20 %), deposit 9,000 → 10,200. Day 20: 9,180 (−10 %), withdraw 4,180 → 5,000.
    // Day 30: 5,000 (0 %).   TWR = 1.2 × 0.9 × 1.0 − 1 = +8.00 %: the investments did well per dollar and period.
    // IRR: 1000·u³ + 9000·u² − 4180·u − 5000 = 0 (u = g^(1/3)).
    //   u = 0.9494: 855.7586… + 8112.2… − 3968.49… − 5000 = −0.53… < 0;  u = 0.9495: +1.06… > 0
    //   → u ≈ 0.949432 (bisection), g = u³ ≈ 0.855838, r ≈ −14.42 %: most of the money arrived just before the fall.
    const flows = [
      { at: day(10), amount: dec(9000) },
      { at: day(20), amount: dec(-4180) },
    ];
    const mwr = moneyWeightedReturn(day(0), day(30), dec(1000), flows, dec(5000));
    expect(ratePercent(mwr!.period)).toBe('-14.42');
    expect(mwr!.period.toDecimalPlaces(8).toString()).toBe('-0.14416236');
    const twr = timeWeightedReturn(
      dec(1000),
      [
        { at: day(10), valueBefore: dec(1200), amount: dec(9000) },
        { at: day(20), valueBefore: dec(9180), amount: dec(-4180) },
      ],
      dec(5000),
    );
    expect(ratePercent(twr!)).toBe('8.00');
  });

  it('annualises periods of a year or more (XIRR)', () => {
    // 1,000 on day 0 grown to 1,210 over 730 days: g = 1.21 over the period, (1.21)^(365/730) − 1 = 0.1 a year.
    const mwr = moneyWeightedReturn(day(0), day(730), dec(1000), [], dec(1210));
    expect(ratePercent(mwr!.period)).toBe('21.00');
    expect(mwr!.annualised!.toDecimalPlaces(12).toString()).toBe('0.1');
  });

  it('says "not meaningful" (null) rather than NaN when there is no rate', () => {
    // Nothing invested, nothing there.
    expect(moneyWeightedReturn(day(0), day(30), dec(0), [], dec(0))).toBeNull();
    // Everything lost: 1,000·g + 500·g^(1/2) = 0 has no root with g > 0.
    expect(moneyWeightedReturn(day(0), day(30), dec(1000), [{ at: day(15), amount: dec(500) }], dec(0))).toBeNull();
    // An empty period.
    expect(moneyWeightedReturn(day(3), day(3), dec(1000), [], dec(1000))).toBeNull();
  });

  it('takes the root nearest to no growth when the flows allow two', () => {
    // −1000·g... as cash flows: invest 1,000, take out 2,300 halfway, put 1,320 back at the end → value 0:
    //   1000·g − 2300·g^(1/2) + 1320 = 0 → with v = g^(1/2): 1000v² − 2300v + 1320 = 0 → v = 1.1 or v = 1.2
    //   → g = 1.21 or 1.44; the one nearer to 1 is 1.21 (r = 21 %).
    const mwr = moneyWeightedReturn(
      day(0),
      day(30),
      dec(1000),
      [
        { at: day(15), amount: dec(-2300) },
        { at: day(30), amount: dec(1320) },
      ],
      dec(0),
    );
    expect(mwr!.period.toDecimalPlaces(10).toString()).toBe('0.21');
  });
});
