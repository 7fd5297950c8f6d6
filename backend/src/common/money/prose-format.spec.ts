import { dec } from './decimal';
import { formatCrypto, formatDateTime, formatDuration, formatMoney, formatUsd, formatUsdPrice } from './prose-format';

describe('prose formatting', () => {
  it('writes USD with en-US grouping and exactly 2 decimals, rounded half-even', () => {
    expect(formatUsd('1234.56')).toBe('$1,234.56');
    expect(formatUsd('321.45')).toBe('$321.45');
    expect(formatUsd('250')).toBe('$250.00');
    expect(formatUsd('1234567.891')).toBe('$1,234,567.89');
    expect(formatUsd('104087.19497179')).toBe('$104,087.19');
    expect(formatUsd('12.005')).toBe('$12.00');
    expect(formatUsd('12.015')).toBe('$12.02');
    expect(formatUsd('0.004')).toBe('$0.00');
    expect(formatUsd(dec('-5'))).toBe('-$5.00');
    expect(formatUsd('-1234.5')).toBe('-$1,234.50');
    expect(formatUsd('-0.001')).toBe('$0.00');
  });

  it('marks a USD amount whose cents were rounded only when asked (journal descriptions)', () => {
    expect(formatUsd('1.0425', { approx: true })).toBe('≈$1.04');
    expect(formatUsd('1.04', { approx: true })).toBe('$1.04');
    expect(formatUsd('1.0425')).toBe('$1.04');
  });

  it('writes prices: from $1 like amounts, under $1 with up to 6 decimals and at least 2', () => {
    expect(formatUsdPrice('104250')).toBe('$104,250.00');
    expect(formatUsdPrice('105000.5')).toBe('$105,000.50');
    expect(formatUsdPrice('3870.255')).toBe('$3,870.26');
    expect(formatUsdPrice('0.5')).toBe('$0.50');
    expect(formatUsdPrice('0.000123')).toBe('$0.000123');
    expect(formatUsdPrice('0.00012345')).toBe('$0.0001234'); // 4 significant digits, half-even
    expect(formatUsdPrice('0.12345650')).toBe('$0.1235');
    expect(formatUsdPrice('0.998336')).toBe('$0.9983');
    expect(formatUsdPrice('0.9999999')).toBe('$1.00');
    // Too small for cents: its significant digits rather than "$0.00".
    expect(formatUsdPrice('0.00000001')).toBe('$0.00000001');
    expect(formatUsdPrice('0')).toBe('$0.00');
  });

  it('writes crypto with at most 8 decimals, rounded down, trimmed and grouped, marked when digits were dropped', () => {
    expect(formatCrypto('0.009607329703437802', 'BTC')).toBe('≈0.00960732 BTC');
    expect(formatCrypto('0.00960733', 'BTC')).toBe('0.00960733 BTC');
    expect(formatCrypto('0.50000000', 'ETH')).toBe('0.5 ETH');
    expect(formatCrypto('1234.5', 'ETH')).toBe('1,234.5 ETH');
    expect(formatCrypto('10', 'USDT')).toBe('10 USDT');
    expect(formatCrypto('0.999999999', 'BTC')).toBe('≈0.99999999 BTC');
    expect(formatCrypto('0', 'BTC')).toBe('0 BTC');
    expect(formatCrypto('0.000000001', 'BTC')).toBe('≈0 BTC');
    expect(formatCrypto('-0.0021', 'BTC')).toBe('-0.0021 BTC');
    expect(formatCrypto(dec('1e-8'), 'BTC')).toBe('0.00000001 BTC');
  });

  it('writes amounts and fees of any asset in the one style', () => {
    expect(formatMoney('1', 'USD')).toBe('$1.00');
    expect(formatMoney('1.0425', 'USD', { approx: true })).toBe('≈$1.04');
    expect(formatMoney('0.00050000', 'BTC')).toBe('0.0005 BTC');
    expect(formatMoney('0.128997103511878115', 'ETH', { approx: true })).toBe('≈0.1289971 ETH');
  });

  it('writes dates in UTC to the minute, rounding up when asked', () => {
    expect(formatDateTime(new Date('2026-12-03T10:05:48.000Z'))).toBe('Dec 3, 2026, 10:05 UTC');
    expect(formatDateTime('2026-12-02T00:04:48.000Z')).toBe('Dec 2, 2026, 00:04 UTC');
    expect(formatDateTime('2026-12-02T00:04:48.000Z', { roundUp: true })).toBe('Dec 2, 2026, 00:05 UTC');
    expect(formatDateTime('2026-12-02T00:04:00.000Z', { roundUp: true })).toBe('Dec 2, 2026, 00:04 UTC');
    expect(formatDateTime('2026-12-31T23:59:30.000Z', { roundUp: true })).toBe('Jan 1, 2027, 00:00 UTC');
  });

  it('writes durations as words, rounded up to the unit shown', () => {
    expect(formatDuration(2_880)).toBe('3 seconds');
    expect(formatDuration(1_000)).toBe('1 second');
    expect(formatDuration(59_500)).toBe('1 minute');
    expect(formatDuration(15 * 60_000)).toBe('15 minutes');
    expect(formatDuration(3_600_000)).toBe('1 hour');
    expect(formatDuration(90 * 60_000)).toBe('1 hour and 30 minutes');
    expect(formatDuration(24 * 3_600_000)).toBe('24 hours');
    expect(formatDuration(48 * 3_600_000)).toBe('2 days');
    expect(formatDuration(7 * 24 * 3_600_000)).toBe('7 days');
    expect(formatDuration(54 * 3_600_000)).toBe('2 days and 6 hours');
  });
});
