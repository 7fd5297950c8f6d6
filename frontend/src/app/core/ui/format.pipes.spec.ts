import { Formatter, humanProse, trend } from './format';

const en = new Formatter({ locale: 'en-US', timeZone: 'UTC' });
const de = new Formatter({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
/** ICU versions differ in which space they put before AM or %; compare the words. */
const words = (s: string): string => s.replace(/\s/g, ' ');

describe('the formatting layer', () => {
  it('trims crypto to 8 decimals, rounding down, with the full value kept for hover and copy', () => {
    // The wallet showed "0.009607329703437802 BTC available"; rounding half-up would show more than there is.
    expect(en.quantity('0.009607329703437802', 'BTC')).toBe('0.00960732 BTC');
    expect(en.full('0.009607329703437802', 'BTC')).toBe('0.009607329703437802 BTC');
    expect(en.isTrimmed('0.009607329703437802', 'BTC')).toBe(true);
    expect(en.isTrimmed('0.50000000', 'BTC')).toBe(false);
    expect(en.quantity('0.50000000', 'ETH')).toBe('0.5 ETH');
    expect(en.quantity('12345678901.12345678')).toBe('12,345,678,901.12345678');
    // Never a digit through a float: 0.1 + 0.2 style noise cannot appear.
    expect(en.quantity('0.30000000000000004')).toBe('0.3');
    expect(en.quantity('0.000000001', 'BTC')).toBe('< 0.00000001 BTC');
    expect(en.quantity('0', 'BTC')).toBe('0 BTC');
    expect(en.quantity('-1.5', 'ETH', 8, { signed: true })).toBe('-1.5 ETH');
    expect(en.quantity('1.5', 'ETH', 8, { signed: true })).toBe('+1.5 ETH');
  });

  it('shows fiat with its sign and two decimals: balances rounded down, prices with more digits below a dollar', () => {
    // The wallet showed "3,967.684966" for a USD balance.
    expect(en.amount('3967.684966', 'USD')).toBe('$3,967.68');
    expect(en.amount('0.004', 'USD')).toBe('< $0.01');
    expect(en.money('104238.385')).toBe('$104,238.39');
    expect(en.money('104087.19497179', 'USD', 'price')).toBe('$104,087.19');
    expect(en.money('0.998336', 'USD', 'price')).toBe('$0.9983');
    expect(en.money('0.00000001', 'USD', 'price')).toBe('$0.00000001');
    expect(en.money('1.5', 'USD', 'price')).toBe('$1.50');
    expect(en.money('2080000000000', 'USD', 'compact')).toBe('$2.08T');
    expect(en.money('9007199254740993.01')).toBe('$9,007,199,254,740,993.01');
    expect(en.money('-12.5', 'USD', 'plain', { signed: true })).toBe('-$12.50');
    expect(en.money('12.5', 'USD', 'plain', { signed: true })).toBe('+$12.50');
    expect(en.amount('1', 'EUR')).toBe('€1.00');
    expect(words(de.money('1234.5'))).toBe('1.234,50 $');
    expect(words(de.amount('1234.5', 'EUR'))).toBe('1.234,50 €');
  });

  it('signs percentages in the locale, and shows a dash for anything that is not a decimal', () => {
    expect(en.percent('1.8464')).toBe('+1.85%');
    expect(en.percent('-0.93')).toBe('-0.93%');
    expect(en.percent('0')).toBe('0.00%');
    expect(words(de.percent('1.8464'))).toBe('+1,85 %');
    expect(en.percent('1e3')).toBe('—');
    expect(en.money(null)).toBe('—');
    expect(en.quantity('abc', 'BTC')).toBe('—');
    expect(trend('-0.5')).toBe('down');
    expect(trend('0')).toBe('');
  });

  it('writes dates in the locale and time zone, never as ISO strings', () => {
    const t = '2026-12-02T00:04:48.000Z';
    expect(en.date(t, 'date')).toBe('Dec 2, 2026');
    expect(words(en.date(t))).toBe('Dec 2, 2026, 12:04 AM');
    expect(de.date(t)).toBe('02.12.2026, 01:04');
    expect(en.date('not a date')).toBe('—');
    const now = Date.parse(t);
    expect(en.relative(now - 10_000, now)).toBe('now');
    expect(en.relative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(en.relative(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(en.relative(now - 86_400_000, now)).toBe('yesterday');
    expect(en.relative(now + 2 * 3_600_000, now)).toBe('in 2 hours');
    expect(en.relative(now - 30 * 86_400_000, now)).toBe('Nov 2, 2026');
    expect(de.relative(now - 5 * 60_000, now)).toBe('vor 5 Minuten');
  });

  it('makes stored server prose human: figures formatted, ISO times local, ids dropped', () => {
    expect(humanProse('Bought ≈0.00960733 BTC at 104087.19497179 USD', en)).toBe('Bought ≈0.00960733 BTC at $104,087.19');
    expect(humanProse('Your deposit 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11 paid in BTC has been credited: 250.00 USD is now available.', en)).toBe(
      'Your deposit paid in BTC has been credited: $250.00 is now available.',
    );
    expect(words(humanProse('Withdrawals are on hold until 2026-12-02T00:04:48.000Z.', en))).toBe('Withdrawals are on hold until Dec 2, 2026, 12:04 AM.');
    expect(humanProse('Rejected limit order: insufficient funds at 0.99833600 USD', en)).toBe('Rejected limit order: insufficient funds at $0.9983');
    expect(humanProse(null, en)).toBe('');
  });
});
