import { CASH_ASSET, formatAmount, formatPrice } from '../../common/money/amount-format';
import { csvLine, csvText } from '../../transactions/csv';
import type { Statement } from './statement';

/**
 * The statement as RFC 4180 CSV, one table: per asset (USD first) its `opening` row, a `movement` row per journal in
 * the order they applied, and its `closing` row (credited, debited, fees over the month; the closing balance, the price
 * and the USD value at the valuation time), then one `total` row with the value of everything. Amounts are the ledger's
 * decimal strings (no grouping), times ISO 8601 UTC; free text is guarded against spreadsheet formulas.
 *
 * It comes in pieces of at most `linesPerChunk` movement lines, for streaming (Readable.from): a month of many
 * movements is written a piece at a time between other requests, never in one long turn of the event loop, and never
 * held whole as one string.
 */
export function* statementCsvChunks(s: Statement, linesPerChunk = 500): Generator<string> {
  let out = csvLine(['row', 'asset', 'time', 'type', 'description', 'reference', 'amount', 'fee', 'balance', 'credited', 'debited', 'price', 'usdValue']);
  let lines = 0;
  for (const a of s.assets) {
    const amt = (v: Parameters<typeof formatAmount>[0]) => formatAmount(v, a.asset);
    out += csvLine(['opening', a.asset, s.from.toISOString(), '', '', '', '', '', amt(a.opening), '', '', '', '']);
    for (const m of a.movements) {
      out += csvLine([
        'movement',
        a.asset,
        m.at.toISOString(),
        m.type,
        csvText(m.description),
        csvText(m.reference),
        amt(m.amount),
        amt(m.fee),
        amt(m.balanceAfter),
        '',
        '',
        '',
        '',
      ]);
      if (++lines >= linesPerChunk) {
        yield out;
        [out, lines] = ['', 0];
      }
    }
    out += csvLine([
      'closing',
      a.asset,
      s.valuedAt.toISOString(),
      '',
      '',
      '',
      '',
      amt(a.fees),
      amt(a.closing),
      amt(a.credited),
      amt(a.debited),
      a.price ? formatPrice(a.price) : '',
      a.value ? formatAmount(a.value, CASH_ASSET) : '',
    ]);
  }
  out += csvLine(['total', CASH_ASSET, s.valuedAt.toISOString(), '', '', '', '', '', '', '', '', '', formatAmount(s.totalValue, CASH_ASSET)]);
  yield out;
}
