import type { PeriodStatementRow } from '../../ledger/reader/ledger.reader';
import { buildStatement, eventLabel, monthsBetween, printedAmount } from './statement';
import { statementCsvChunks } from './statement-csv';
import { dec } from '../../common/money/decimal';

const opening = (asset: string, amount: string): PeriodStatementRow => ({
  part: 'opening',
  asset,
  amount,
  fee: '0',
  journal_id: null,
  type: null,
  description: null,
  reference: null,
  created_at: null,
});
const movement = (journal: string, asset: string, amount: string, fee = '0', type = 'trade'): PeriodStatementRow => ({
  part: 'movement',
  asset,
  amount,
  fee,
  journal_id: journal,
  type,
  description: `${type} ${journal}`,
  reference: `${type}:${journal}`,
  created_at: new Date('2026-06-10T12:00:00Z'),
});
const holder = { name: 'Ana', email: 'ana@example.com' };

describe('monthly statement', () => {
  it('adds every movement to the opening balance: the closing balance, the balance after each, credited, debited and fees', () => {
    const s = buildStatement({
      month: '2026-06',
      now: new Date('2026-07-02T00:00:00Z'),
      holder,
      rows: [
        opening('USD', '1000'),
        movement('a', 'BTC', '0.00287769'),
        movement('a', 'USD', '-300.30', '-0.30'),
        movement('b', 'USD', '104.14575', '-0.10425'),
        movement('b', 'BTC', '-0.001'),
        movement('c', 'BTC', '-0.0006', '-0.0001', 'withdrawal'),
      ],
      closes: new Map([['BTC', '104250.00']]),
    });
    expect(s.complete).toBe(true);
    expect(s.valuedAt.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    const [usd, btc] = s.assets;
    expect(usd.asset).toBe('USD');
    expect(usd.movements.map((m) => [m.amount.toFixed(), m.fee.toFixed(), m.balanceAfter.toFixed()])).toEqual([
      ['-300', '0.3', '699.7'],
      ['104.25', '0.10425', '803.84575'],
    ]);
    expect([usd.opening, usd.credited, usd.debited, usd.fees, usd.closing].map((d) => d.toFixed())).toEqual(['1000', '104.25', '300', '0.40425', '803.84575']);
    expect(usd.opening.add(usd.credited).sub(usd.debited).sub(usd.fees).eq(usd.closing)).toBe(true);
    expect([btc.credited, btc.debited, btc.fees, btc.closing].map((d) => d.toFixed())).toEqual(['0.00287769', '0.0015', '0.0001', '0.00127769']);
    // Values to the cent (half-even), the total their sum.
    expect(btc.value!.toFixed(2)).toBe('133.20');
    expect(usd.value!.toFixed(2)).toBe('803.85');
    expect(s.totalValue.toFixed(2)).toBe('937.05');
  });

  it('leaves out assets with nothing in the month, names those without a price, and keeps a fee given back in the amount', () => {
    const s = buildStatement({
      month: '2026-06',
      now: new Date('2026-06-15T08:00:00Z'),
      holder,
      rows: [opening('ETH', '0'), opening('SOL', '2'), movement('r', 'USD', '10.5', '0.5', 'cash_out_reversal')],
      closes: new Map(),
    });
    expect(s.complete).toBe(false);
    expect(s.valuedAt.toISOString()).toBe('2026-06-15T08:00:00.000Z');
    expect(s.assets.map((a) => a.asset)).toEqual(['USD', 'SOL']);
    expect(s.assets[0].movements[0].fee.toFixed()).toBe('0');
    expect(s.assets[0].movements[0].amount.toFixed()).toBe('10.5');
    expect(s.unpriced).toEqual(['SOL']);
    expect(s.totalValue.toFixed(2)).toBe('10.50');
  });

  it('lists months newest first and prints amounts exactly, grouped', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
    expect(monthsBetween('2026-02', '2026-02')).toEqual(['2026-02']);
    expect(printedAmount(dec('-1234567.5'), 'USD')).toBe('-1,234,567.50');
    expect(printedAmount(dec('0.002877697841726618'), 'BTC')).toBe('0.002877697841726618');
    expect(printedAmount(dec('1000'), 'ETH')).toBe('1,000.00000000');
    expect([eventLabel('convert'), eventLabel('order_reject'), eventLabel('')]).toEqual(['Conversion', 'Order reject', 'Other']);
  });

  it('writes the CSV a few movements at a time, the pieces together the whole table in order', () => {
    const rows = [opening('USD', '0'), ...Array.from({ length: 7 }, (_, i) => movement(`j${i}`, 'USD', `${i + 1}.00`, '0', 'deposit'))];
    const s = buildStatement({ month: '2026-06', now: new Date('2026-07-02T00:00:00Z'), holder, rows, closes: new Map() });
    const pieces = [...statementCsvChunks(s, 3)];
    // 7 movements, 3 a piece: the header and opening ride with the first three, closing and total with the last one.
    expect(
      pieces.map((p) =>
        p
          .split('\r\n')
          .filter(Boolean)
          .map((l) => l.split(',')[0]),
      ),
    ).toEqual([
      ['row', 'opening', 'movement', 'movement', 'movement'],
      ['movement', 'movement', 'movement'],
      ['movement', 'closing', 'total'],
    ]);
    const whole = [...statementCsvChunks(s)].join('');
    expect(pieces.join('')).toBe(whole);
    expect(whole.split('\r\n').find((l) => l.startsWith('closing'))).toContain(',28.00,');
  });
});
