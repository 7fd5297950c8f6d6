import { PctPipe, QtyPipe, trend, UsdPipe } from './format.pipes';

describe('format pipes', () => {
  it('shows decimal-string quantities digit for digit, never through a float', () => {
    // As a float, 0.1 + 0.2 style values and long quantities pick up noise; the string must not.
    expect(new QtyPipe().transform('12345678901.12345678')).toBe('12,345,678,901.12345678');
    expect(new QtyPipe().transform('0.00000001')).toBe('0.00000001');
  });

  it('formats USD with cents, small prices with more digits, and big figures compactly', () => {
    const usd = new UsdPipe();
    expect(usd.transform('104238.385')).toBe('$104,238.39');
    expect(usd.transform('0.998336', 'price')).toBe('$0.998336');
    expect(usd.transform('2080000000000', 'compact')).toBe('$2.08T');
    expect(usd.transform('9007199254740993.01')).toBe('$9,007,199,254,740,993.01');
  });

  it('signs percentages and shows a dash for anything that is not a decimal', () => {
    const pct = new PctPipe();
    expect(pct.transform('1.8464')).toBe('+1.85 %');
    expect(pct.transform('-0.93')).toBe('-0.93 %');
    expect(pct.transform('0')).toBe('0.00 %');
    expect(pct.transform('1e3')).toBe('—');
    expect(pct.transform(null)).toBe('—');
    expect(trend('-0.5')).toBe('down');
    expect(trend('0')).toBe('');
  });
});
