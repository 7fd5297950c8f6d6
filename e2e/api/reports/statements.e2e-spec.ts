import Decimal from 'decimal.js';
import request from 'supertest';
import { createUser, type TestUser } from '../../support/factories';
import { balanceOf, fund, waitForPrices } from '../../support/money';
import { pdfText } from '../../support/pdf-text';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';
import { useAppSuite } from '../../support/suite';

/**
 * Monthly statements (API.md "Statements") of a history made through the app at still prices (SIMULATED_VOLATILITY=0):
 * a funding (moved to an earlier month by SQL, as if made then, so this month opens with a balance), a market buy with
 * its fee, a conversion of bitcoin into ether, a market sell, a withdrawal with its network fee. The PDF's text (pdf.js)
 * and the CSV show the opening and closing balance per asset, every movement with its fee and the balance after it,
 * the fee totals and the valuation, to the cent, as the ledger (read here with SQL) says. Rate limits at their real
 * size (RATE_LIMIT_SCALE=1), so the statements' own per-user limit is seen.
 */
jest.setTimeout(180_000);

/** A ledger amount as the statement writes it: the API's decimal string (USD 2 decimals, crypto 8, more if it has them). */
const plain = (d: Decimal.Value, asset: string): string => {
  const v = new Decimal(d);
  const s = v.toFixed(Math.max(asset === 'USD' ? 2 : 8, v.decimalPlaces()));
  return s === '-0.00' || /^-0\.0+$/.test(s) ? s.slice(1) : s;
};
/** The same, its whole part grouped in thousands (the PDF). */
const grouped = (d: Decimal.Value, asset: string): string =>
  plain(d, asset).replace(/^(-?)(\d+)/, (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
const cents = (d: Decimal.Value): string => grouped(new Decimal(d).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN), 'USD');

/** The month (UTC) of an instant. */
const monthOf = (at: Date): string => at.toISOString().slice(0, 7);
const stamp = (at: Date): string => at.toISOString().slice(0, 16).replace('T', ' ');

const LABELS: Record<string, string> = { trade: 'Trade', convert: 'Conversion', withdrawal: 'Withdrawal', adjustment: 'Adjustment' };

/** RFC 4180 records keyed by the header. */
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

interface LedgerMovement {
  journal_id: string;
  type: string;
  description: string;
  asset: string;
  change: string;
  fee: string;
  at: Date;
}

describe('reports: monthly statements as PDF and CSV', () => {
  const suite = useAppSuite({
    SIMULATED_VOLATILITY: '0',
    RATE_LIMIT_SCALE: '1',
    WITHDRAWAL_DUAL_APPROVAL_USD: '1000000',
    WITHDRAWAL_DAILY_LIMIT_USD: '1000000',
    // A PDF holds at most this many movements (5,000 by default): low here, so a month over it is cheap to make.
    STATEMENT_PDF_MAX_ROWS: '12',
  });
  let admin: TestUser;
  let user: Withdrawer;
  let other: TestUser;
  let fundedAt: Date;
  const api = () => request(suite.app.url);
  const NAME = 'Zoë Ωmega-Łódź';

  /** GET a statement file as bytes. */
  const download = (who: TestUser, file: string) =>
    api()
      .get(`/api/reports/statements/${file}`)
      .set(who.auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  /** What the ledger says of the account in [from, to): the opening total per asset and each journal's change per asset. */
  async function ledgerOf(userId: string, from: Date, to: Date) {
    const account = `user:${userId}`;
    const opening = await suite.db.query<{ asset: string; total: string }>(
      `SELECT asset, sum(amount)::text AS total FROM ledger_entries WHERE account = $1 AND created_at < $2 GROUP BY asset`,
      [account, from],
    );
    const moves = await suite.db.query<LedgerMovement>(
      `SELECT e.journal_id, j.type, j.description, e.asset, sum(e.amount)::text AS change,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = 'fee'), 0)::text AS fee, min(e.created_at) AS at
       FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
       WHERE e.account = $1 AND e.created_at >= $2 AND e.created_at < $3
       GROUP BY e.journal_id, j.type, j.description, e.asset HAVING sum(e.amount) <> 0
       ORDER BY min(e.created_at), min(min(e.id)) OVER (PARTITION BY e.journal_id), e.asset`,
      [account, from, to],
    );
    const closing = await suite.db.query<{ asset: string; total: string }>(
      `SELECT asset, sum(amount)::text AS total FROM ledger_entries WHERE account = $1 AND created_at < $2 GROUP BY asset`,
      [account, to],
    );
    return {
      opening: new Map(opening.map((r) => [r.asset, new Decimal(r.total)])),
      moves,
      closing: new Map(closing.map((r) => [r.asset, new Decimal(r.total)])),
    };
  }

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    [user, other] = await Promise.all([createWithdrawer(suite.app, suite.mail, { asset: 'BTC' }), createUser(suite.app, suite.mail, { name: 'Other Person' })]);
    await api().put('/api/auth/profile').set(user.auth).send({ name: NAME }).expect(200);
    await waitForPrices(suite.app);
  });

  it('shows every movement of the month, its fee and the balance after it, and the opening and closing balances the ledger has, in the PDF and the CSV', async () => {
    const btc = new Decimal((await api().get('/api/prices/BTC').expect(200)).body.price as string);
    const eth = new Decimal((await api().get('/api/prices/ETH').expect(200)).body.price as string);
    const funding = await fund(suite.app, admin, user, 'USD', '1000');
    await fund(suite.app, admin, other, 'USD', '50');
    // As if the funding were made 40 days ago: this month opens with its $1,000.00 (the ledger is append-only for the
    // app; the test moves the journal's time, the same in the journal and its entries).
    const [{ at }] = await suite.db.query<{ at: Date }>(
      `UPDATE ledger_journals SET created_at = now() - interval '40 days' WHERE id = $1 RETURNING created_at AS at`,
      [funding],
    );
    await suite.db.query(`UPDATE ledger_entries SET created_at = $2 WHERE journal_id = $1`, [funding, at]);
    fundedAt = new Date(at);

    // $300.30 buys $300.00 of bitcoin and pays a $0.30 fee.
    const buy = await api().post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '300.30' }).expect(201);
    expect(buy.body.order.fee).toBe('0.30');
    const bought = new Decimal(buy.body.order.quantity as string);
    const quote = await api().post('/api/convert/quotes').set(user.auth).send({ from: 'BTC', to: 'ETH', amount: '0.0005' }).expect(201);
    await api().post('/api/convert').set(user.auth).send({ quoteId: quote.body.quote.id }).expect(201);
    const [give, receive] = ['give', 'receive'].map((k) => new Decimal(quote.body.quote[k] as string));
    const sell = await api().post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.001' }).expect(201);
    const [sold, sellFee] = [new Decimal(sell.body.order.quoteAmount as string), new Decimal(sell.body.order.fee as string)];
    const w = await api()
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'BTC', amount: '0.0005', addressId: user.addressId, twoFactorCode: user.backupCodes![0] })
      .expect(201);
    await api().post(`/api/admin/withdrawals/${w.body.withdrawal.id}/approve`).set(admin.auth).expect(200);
    await api()
      .post(`/api/admin/withdrawals/${w.body.withdrawal.id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' })
      .expect(200);
    // The ingesting instance writes its open candles when they are read: a close is recorded for the valuation.
    await Promise.all(['BTC', 'ETH'].map((s) => api().get(`/api/crypto/${s}/candles?interval=1m`).expect(200)));

    const now = new Date();
    const month = monthOf(now);
    const from = new Date(`${month}-01T00:00:00Z`);
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));

    // The months: from the funding's to this one, newest first.
    const months = (await api().get('/api/reports/statements').set(user.auth).expect(200)).body as {
      items: { month: string; complete: boolean }[];
      timeZone: string;
    };
    expect(months.timeZone).toBe('UTC');
    expect(months.items[0]).toMatchObject({ month, complete: false });
    expect(months.items[months.items.length - 1].month).toBe(monthOf(fundedAt));
    expect(months.items.filter((m) => m.complete).map((m) => m.month)).not.toContain(month);

    // The totals of the month, known from the history itself.
    const withdrawn = new Decimal('0.0005');
    const withdrawalFee = new Decimal('0.0001');
    const expected = {
      USD: { opening: new Decimal(1000), closing: new Decimal(1000).sub('300.30').add(sold).sub(sellFee), fees: new Decimal('0.30').add(sellFee) },
      BTC: { opening: new Decimal(0), closing: bought.sub(give).sub('0.001').sub(withdrawn).sub(withdrawalFee) },
      ETH: { opening: new Decimal(0), closing: receive },
    };
    // …and as the ledger has them, which is what the wallet shows.
    const ledger = await ledgerOf(user.id, from, to);
    for (const asset of ['USD', 'BTC', 'ETH'] as const) {
      expect(plain(ledger.opening.get(asset) ?? 0, asset)).toBe(plain(expected[asset].opening, asset));
      expect(plain(ledger.closing.get(asset)!, asset)).toBe(plain(expected[asset].closing, asset));
      expect(plain((await balanceOf(suite.app, user, asset)).total, asset)).toBe(plain(expected[asset].closing, asset));
    }
    expect(ledger.moves.map((m) => [m.type, m.asset])).toEqual([
      ['trade', 'BTC'],
      ['trade', 'USD'],
      ['convert', 'BTC'],
      ['convert', 'ETH'],
      ['trade', 'BTC'],
      ['trade', 'USD'],
      ['withdrawal', 'BTC'],
    ]);

    // The PDF: an attachment named after the month, every figure in its text.
    const pdf = await download(user, `${month}.pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="cryptovault-statement-${month}.pdf"`);
    expect(pdf.headers['cache-control']).toBe('no-store');
    const text = await pdfText(pdf.body as Buffer);
    expect(text.info.Title).toBe(`CryptoVault account statement ${month}`);
    const lines = text.pages.flat();
    expect(lines).toContain(`Account holder: ${NAME}`);
    expect(lines).toContain(`Email: ${user.email}`);
    expect(lines).toContain(`Statement period: ${month}-01 to ${now.toISOString().slice(0, 10)} (month to date) (UTC)`);
    text.pages.forEach((page, i) => expect(page[page.length - 1]).toMatch(new RegExp(`Page ${i + 1}$`)));

    // Per asset: the opening balance, each movement (time, event, amount without the fee, fee, balance after) with the
    // journal's description under it, the closing balance, and opening + credited − debited − fees = closing.
    for (const asset of ['USD', 'BTC', 'ETH'] as const) {
      const section = lines.slice(lines.indexOf(asset));
      expect(section[2]).toBe(`${month}-01 Opening balance ${grouped(expected[asset].opening, asset)}`);
      let balance = expected[asset].opening;
      let credited = new Decimal(0);
      let debited = new Decimal(0);
      let fees = new Decimal(0);
      let at = 3;
      for (const m of ledger.moves.filter((x) => x.asset === asset)) {
        const fee = new Decimal(m.fee).neg();
        const amount = new Decimal(m.change).add(fee);
        balance = balance.add(m.change);
        if (amount.isPositive()) credited = credited.add(amount);
        else debited = debited.sub(amount);
        fees = fees.add(fee);
        const cells = [stamp(new Date(m.at)), LABELS[m.type], grouped(amount, asset), ...(fee.isZero() ? [] : [grouped(fee, asset)]), grouped(balance, asset)];
        expect(section[at]).toBe(cells.join(' '));
        // The journal's description under its row (wrapped over as many lines as it needs).
        let end = at + 1;
        while (!/^\d{4}-\d{2}-\d{2} /.test(section[end])) end++;
        expect(section.slice(at + 1, end).join(' ')).toBe(m.description);
        at = end;
      }
      expect(balance.eq(expected[asset].closing)).toBe(true);
      expect(section[at]).toBe(`${now.toISOString().slice(0, 10)} Closing balance ${grouped(expected[asset].closing, asset)}`);
      expect(section.slice(at + 1, at + 3)).toEqual([
        `Opening ${grouped(expected[asset].opening, asset)} + credited ${grouped(credited, asset)} − debited ${grouped(debited, asset)} − fees ${grouped(fees, asset)}`,
        `= closing ${grouped(expected[asset].closing, asset)} ${asset}`,
      ]);
      if (asset === 'USD') expect(fees.eq(expected.USD.fees)).toBe(true);
    }
    // The summary: per asset opening, fees, closing, price and value at still prices; the total to the cent.
    const value = { USD: expected.USD.closing, BTC: expected.BTC.closing.mul(btc), ETH: expected.ETH.closing.mul(eth) };
    const price = {
      USD: '1.00',
      BTC: grouped(btc.toFixed(Math.max(2, btc.decimalPlaces())), 'USD'),
      ETH: grouped(eth.toFixed(Math.max(2, eth.decimalPlaces())), 'USD'),
    };
    const feesOf = { USD: expected.USD.fees, BTC: new Decimal(quote.body.quote.fee as string).add(withdrawalFee), ETH: new Decimal(0) };
    const summary = lines.slice(lines.indexOf('Summary'));
    expect(summary.slice(2, 5)).toEqual(
      (['USD', 'BTC', 'ETH'] as const).map(
        (a) => `${a} ${grouped(expected[a].opening, a)} ${grouped(feesOf[a], a)} ${grouped(expected[a].closing, a)} ${price[a]} ${cents(value[a])}`,
      ),
    );
    const total = (['USD', 'BTC', 'ETH'] as const).reduce((t, a) => t.add(value[a].toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)), new Decimal(0));
    expect(summary[5]).toBe(`Total ${cents(total)}`);
    // Another user's account never appears.
    expect(lines.join('\n')).not.toContain(other.email);

    // The CSV: the same rows and figures, as decimal strings.
    const csv = await api().get(`/api/reports/statements/${month}.csv`).set(user.auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="cryptovault-statement-${month}.csv"`);
    expect(csv.text.split('\r\n')[0]).toBe('row,asset,time,type,description,reference,amount,fee,balance,credited,debited,price,usdValue');
    const rows = parseCsv(csv.text);
    for (const asset of ['USD', 'BTC', 'ETH'] as const) {
      const mine = rows.filter((r) => r.asset === asset && r.row !== 'total');
      expect(mine[0]).toMatchObject({ row: 'opening', time: from.toISOString(), balance: plain(expected[asset].opening, asset) });
      const moves = ledger.moves.filter((m) => m.asset === asset);
      expect(mine.slice(1, -1).map((r) => [r.row, r.type, r.time, r.amount, r.fee])).toEqual(
        moves.map((m) => [
          'movement',
          m.type,
          new Date(m.at).toISOString(),
          plain(new Decimal(m.change).sub(m.fee), asset),
          plain(new Decimal(m.fee).neg(), asset),
        ]),
      );
      expect(mine[mine.length - 1]).toMatchObject({
        row: 'closing',
        balance: plain(expected[asset].closing, asset),
        fee: plain(feesOf[asset], asset),
        usdValue: plain(value[asset].toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN), 'USD'),
      });
    }
    expect(rows[rows.length - 1]).toMatchObject({ row: 'total', usdValue: plain(total, 'USD') });
  });

  it("gives an earlier month's statement: that month's movements, closing balance valued at its end", async () => {
    const month = monthOf(fundedAt);
    const csv = parseCsv((await api().get(`/api/reports/statements/${month}.csv`).set(user.auth).expect(200)).text);
    expect(csv.map((r) => [r.row, r.asset, r.type, r.amount, r.fee, r.balance])).toEqual([
      ['opening', 'USD', '', '', '', '0.00'],
      ['movement', 'USD', 'adjustment', '1000.00', '0.00', '1000.00'],
      ['closing', 'USD', '', '', '0.00', '1000.00'],
      ['total', 'USD', '', '', '', ''],
    ]);
    const end = new Date(Date.UTC(fundedAt.getUTCFullYear(), fundedAt.getUTCMonth() + 1, 1));
    expect(csv[2]).toMatchObject({ time: end.toISOString(), usdValue: '1000.00' });
    const lines = (await pdfText((await download(user, `${month}.pdf`).expect(200)).body as Buffer)).pages.flat();
    expect(lines).toContain(`${stamp(fundedAt)} Adjustment 1,000.00 1,000.00`);
    expect(lines).toContain(`${new Date(end.getTime() - 1).toISOString().slice(0, 10)} Closing balance 1,000.00`);
    expect(lines).toContain('Total 1,000.00');
  });

  it('answers 400 in the one error shape for a malformed month, a future one or one before the account, and 401 signed out', async () => {
    const now = new Date();
    const first = monthOf(now);
    const next = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
    const before = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
    for (const [file, message] of [
      ['2026-13.pdf', 'Choose a month like 2026-06 (year and month)'],
      ['26-01.csv', 'Choose a month like 2026-06 (year and month)'],
      [`${next}.pdf`, `Choose a month from ${first} to ${first}`],
      [`${before}.csv`, `Choose a month from ${first} to ${first}`],
    ]) {
      const res = await api().get(`/api/reports/statements/${file}`).set(other.auth).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: { code: 'VALIDATION_FAILED', message, details: [{ field: 'month', message }] },
        requestId: expect.any(String),
      });
    }
    const de = await api().get('/api/reports/statements/2026-13.pdf').set(other.auth).set('Accept-Language', 'de').expect(400);
    expect(de.body.error.message).toBe('Wählen Sie einen Monat wie 2026-06 (Jahr und Monat)');
    await api().get(`/api/reports/statements/${first}.pdf`).expect(401);
    await api().get('/api/reports/statements').expect(401);
  });

  it("gives each user their own statement only: another user's has none of this one's movements", async () => {
    const month = monthOf(new Date());
    const csv = parseCsv((await api().get(`/api/reports/statements/${month}.csv`).set(other.auth).expect(200)).text);
    expect(csv.map((r) => [r.row, r.asset, r.amount, r.balance])).toEqual([
      ['opening', 'USD', '', '0.00'],
      ['movement', 'USD', '50.00', '50.00'],
      ['closing', 'USD', '', '50.00'],
      ['total', 'USD', '', ''],
    ]);
    const lines = (await pdfText((await download(other, `${month}.pdf`).expect(200)).body as Buffer)).pages.flat();
    expect(lines).toContain('Account holder: Other Person');
    const all = lines.join('\n');
    for (const theirs of [user.email, NAME, 'BTC', 'ETH', 'Trade']) expect(all).not.toContain(theirs);
    expect((await api().get('/api/reports/statements').set(other.auth).expect(200)).body.items.map((m: { month: string }) => m.month)).toEqual([month]);
  });

  it('answers a month with more movements than a PDF holds with 422 pointing to the CSV, which has them all', async () => {
    const busy = await createUser(suite.app, suite.mail);
    for (let i = 1; i <= 13; i++) await fund(suite.app, admin, busy, 'USD', `${i}.00`);
    const month = monthOf(new Date());
    const refused = await download(busy, `${month}.pdf`).expect(422);
    const message = 'This month has 13 movements, more than a PDF statement holds (12); download the CSV instead';
    expect(JSON.parse((refused.body as Buffer).toString('utf8'))).toEqual({
      statusCode: 422,
      error: { code: 'STATEMENT_TOO_LARGE', message },
      requestId: expect.any(String),
    });
    const es = await download(busy, `${month}.pdf`).set('Accept-Language', 'es').expect(422);
    expect(JSON.parse((es.body as Buffer).toString('utf8')).error.message).toBe(
      'Este mes tiene 13 movimientos, más de los que caben en un extracto en PDF (12); descarga el CSV',
    );
    const csv = parseCsv((await api().get(`/api/reports/statements/${month}.csv`).set(busy.auth).expect(200)).text);
    expect(csv.filter((r) => r.row === 'movement')).toHaveLength(13);
    expect(csv.find((r) => r.row === 'closing')).toMatchObject({ asset: 'USD', balance: '91.00' });
  });

  it('limits statement downloads per user: the 11th in a minute is 429 with Retry-After, and other users are not held back', async () => {
    const busy = await createUser(suite.app, suite.mail);
    const month = monthOf(new Date());
    for (let i = 0; i < 10; i++) await api().get(`/api/reports/statements/${month}.csv`).set(busy.auth).expect(200);
    const refused = await api().get(`/api/reports/statements/${month}.pdf`).set(busy.auth).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The month list is not a download, and someone else downloads as usual.
    await api().get('/api/reports/statements').set(busy.auth).expect(200);
    await api().get(`/api/reports/statements/${month}.csv`).set(other.auth).expect(200);
  });
});
