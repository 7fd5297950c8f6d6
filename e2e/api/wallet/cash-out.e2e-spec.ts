import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, promoteToAdmin, TestUser, totpCode } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { allPages } from '../../support/pages';
import { SmtpSink } from '../../support/smtp';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

/**
 * USD cash-out (API.md "USD cash-out"): dollars sent as USDT or USDC at a quoted rate, as one withdrawal funded by one
 * journal (USD debited, the stablecoin held), under every rule of a withdrawal; the dollars come back whole when it is
 * not sent. Prices are the simulated snapshot, frozen: USDT 1.0002, USDC 0.9999.
 */
jest.setTimeout(120_000);

const TRON_ADDRESS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const FEE_RATE = new Decimal('0.001');
const PRICES: Record<string, string> = { USDT: '1.0002', USDC: '0.9999' };
const NETWORK_FEE = '2.5';

/**
 * What the platform's rules give for `usd` dollars as `asset`: convert's net and fee (the rest of the dollars), the
 * stablecoin rounded down to its on-chain decimals (USDT, USDC: 6), so a payout can carry it exactly.
 */
function expected(usd: string, asset = 'USDT') {
  const feeOf = (n: Decimal) => n.mul(FEE_RATE).toDecimalPlaces(8, Decimal.ROUND_UP);
  let net = new Decimal(usd).div(FEE_RATE.add(1)).toDecimalPlaces(8, Decimal.ROUND_DOWN);
  while (net.add(feeOf(net)).gt(usd)) net = net.sub('0.00000001');
  const converted = net.div(PRICES[asset]).toDecimalPlaces(6, Decimal.ROUND_DOWN);
  return { net, fee: new Decimal(usd).sub(net), converted, receive: converted.sub(NETWORK_FEE) };
}

interface CashOutQuote {
  id: string;
  usdAmount: string;
  conversionFee: string;
  asset: string;
  network: string;
  price: string;
  rate: string;
  converted: string;
  networkFee: string;
  receive: string;
  createdAt: string;
  expiresAt: string;
  validForMs: number;
}

describe('USD cash-out: dollars sent as a stablecoin at a quoted rate', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let admin: TestUser;
  let admin2: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    // The race below sends 30 cash-outs of one session at once, 19 with used-up codes: above the confirmation
    // lockout's defaults (security-second-factor covers those), raised so the race reaches the ledger.
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        SIMULATED_VOLATILITY: '0',
        WITHDRAWAL_DUAL_APPROVAL_USD: '150',
        WITHDRAWAL_DAILY_LIMIT_USD: '1000',
        CONFIRMATION_SESSION_MAX_FAILURES: '50',
        CONFIRMATION_ACCOUNT_MAX_FAILURES: '100',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    admin2 = await promoteToAdmin(app, admin, await createUser(app, mail));
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), db?.drop()]);
  });

  /** A user with 2FA on, a usable USDT address on Tron and a USDC one on Ethereum, and `usd` dollars available. */
  async function withDollars(usd: string): Promise<Withdrawer> {
    const user = await createWithdrawer(app, mail, { asset: 'USDT', network: 'tron', address: TRON_ADDRESS, more: [{ asset: 'USDC' }] });
    await fund(app, admin, user, 'USD', usd);
    return user;
  }

  const quote = (user: TestUser, body: Record<string, unknown>, language?: string) => {
    const req = request(app.url).post('/api/wallet/cash-out/quotes').set(user.auth);
    if (language) void req.set('Accept-Language', language);
    return req.send(body);
  };
  /** A quote for USDT on Tron (the network of the users' saved USDT address) unless told otherwise. */
  const newQuote = async (
    user: TestUser,
    usdAmount: string,
    asset = 'USDT',
    network: string | undefined = asset === 'USDT' ? 'tron' : undefined,
  ): Promise<CashOutQuote> => (await quote(user, { usdAmount, asset, ...(network ? { network } : {}) }).expect(201)).body.quote as CashOutQuote;
  const cashOut = (user: TestUser, body: Record<string, unknown>, key?: string) => {
    const req = request(app.url).post('/api/wallet/cash-outs').set(user.auth);
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };
  /** Nothing of `asset` left, available or held (an empty balance is not listed). */
  const expectNone = async (user: TestUser, asset: string) => {
    const b = await balanceOf(app, user, asset);
    expect([new Decimal(b.available).toFixed(), new Decimal(b.locked).toFixed()]).toEqual(['0', '0']);
  };
  const journals = (reference: string) =>
    db.query<{ id: string; type: string; description: string }>(`SELECT id, type, description FROM ledger_journals WHERE reference = $1`, [reference]);
  const usdFees = async (): Promise<Decimal> =>
    new Decimal(
      (await db.query<{ v: string }>(`SELECT coalesce(sum(available), 0)::text AS v FROM balances WHERE account = 'platform:fees' AND asset = 'USD'`))[0].v,
    );

  it('quotes dollars as USDT or USDC at the live price, less the trading fee and the network fee, and moves nothing', async () => {
    const user = await withDollars('1000');
    const q = await newQuote(user, '100', 'usdt', 'tron');
    const e = expected('100');
    expect(q).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      usdAmount: '100.00',
      conversionFee: e.fee.toFixed(Math.max(2, e.fee.decimalPlaces())),
      asset: 'USDT',
      network: 'tron',
      price: '1.0002',
      rate: new Decimal(1).div('1.0002').toSignificantDigits(18).toFixed(),
      converted: e.converted.toFixed(8),
      networkFee: '2.50000000',
      receive: e.receive.toFixed(8),
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      validForMs: 10_000,
    });
    expect([q.conversionFee, q.converted, q.receive]).toEqual(['0.0999001', '99.88012300', '97.38012300']);
    expect(new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime()).toBe(10_000);

    // USDC leaves on Ethereum (its only network, the default).
    const usdc = await newQuote(user, '50', 'USDC');
    expect(usdc).toMatchObject({ asset: 'USDC', network: 'ethereum', price: '0.9999', receive: expected('50', 'USDC').receive.toFixed(8) });

    // Nothing moved: no withdrawal, no journal.
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '1000.00', locked: '0.00' });
    expect((await balanceOf(app, user, 'USDT')).total).toBe('0');
    expect(await db.query(`SELECT id FROM withdrawals WHERE user_id = $1`, [user.id])).toEqual([]);

    // What the request may hold, said on its field.
    const btc = await quote(user, { usdAmount: '100', asset: 'BTC' }).expect(400);
    expect(btc.body.error.details).toEqual([{ field: 'asset', message: 'Choose the stablecoin to send: USDT or USDC' }]);
    const tron = await quote(user, { usdAmount: '100', asset: 'USDC', network: 'tron' }).expect(400);
    expect(tron.body.error.details).toEqual([{ field: 'network', message: 'USDC is withdrawn on ethereum, not tron' }]);
    const cents = await quote(user, { usdAmount: '100.001', asset: 'USDT' }).expect(400);
    expect(cents.body.error.details).toEqual([{ field: 'usdAmount', message: 'Use at most 2 decimals' }]);
    await request(app.url).post('/api/wallet/cash-out/quotes').send({ usdAmount: '100', asset: 'USDT' }).expect(401);

    // Under the withdrawal minimum once the network fee is taken: the message names the smallest amount that works.
    const small = await quote(user, { usdAmount: '12.51', asset: 'USDT' }).expect(422);
    expect(small.body.error).toEqual({
      code: 'BELOW_MINIMUM',
      message: 'Cash out at least $12.52: the smallest USDT withdrawal is 10 USDT, sent after its 2.5 USDT network fee',
      details: [{ field: 'usdAmount', message: 'Enter at least 12.52 USD' }],
    });
    const german = await quote(user, { usdAmount: '12.51', asset: 'USDT' }, 'de').expect(422);
    expect(german.body.error.message).toBe(
      'Zahlen Sie mindestens $12.52 aus: Die kleinste USDT-Auszahlung beträgt 10 USDT, gesendet nach Abzug der Netzwerkgebühr von 2.5 USDT',
    );
    expect((await newQuote(user, '12.52')).receive).toBe(expected('12.52').receive.toFixed(8));

    // More dollars than are available: refused now rather than when used.
    const short = await quote(user, { usdAmount: '1000.01', asset: 'USDT' }).expect(422);
    expect(short.body.error.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('cashes out once: the dollars debited and the stablecoin held in ONE journal, the withdrawal carrying the dollars and the rate', async () => {
    const user = await withDollars('1000');
    const feesBefore = await usdFees();
    const q = await newQuote(user, '100', 'USDT', 'tron');
    const res = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }, 'co-1').expect(201);
    const w = res.body.withdrawal;
    expect(w).toMatchObject({
      asset: 'USDT',
      network: 'tron',
      address: TRON_ADDRESS,
      addressId: user.addressIds.USDT,
      amount: '97.38012300',
      fee: '2.50000000',
      total: '99.88012300',
      usdValue: '100.00',
      status: 'pending',
      approvals: 0,
      requiredApprovals: 1,
      cashOut: { usdAmount: '100.00', conversionFee: '0.0999001', price: '1.0002', quoteId: q.id },
    });
    // Exactly the dollars asked for left; the stablecoin is held, never available.
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '900.00', locked: '0.00' });
    expect(await balanceOf(app, user, 'USDT')).toMatchObject({ available: '0.00000000', locked: '99.88012300' });
    expect((await usdFees()).sub(feesBefore).toFixed()).toBe('0.0999001');

    const [funding, ...more] = await journals(`withdrawal:${w.id}:hold`);
    expect(more).toEqual([]);
    expect(funding).toMatchObject({
      type: 'cash_out',
      description:
        'Cash-out of $100.00 to “USDT test wallet” requested: converted to 99.880123 USDT at $1.0002 (fee ≈$0.10) and held until it is sent ' +
        '(97.380123 USDT arrives after the 2.5 USDT network fee)',
    });
    const lines = await db.query<{ account: string; asset: string; bucket: string; kind: string; amount: string }>(
      `SELECT account, asset, bucket, kind, amount::text FROM ledger_entries WHERE journal_id = $1`,
      [funding.id],
    );
    const sums = new Map<string, Decimal>();
    for (const l of lines) sums.set(l.asset, (sums.get(l.asset) ?? new Decimal(0)).add(l.amount));
    expect([...sums.values()].every((s) => s.isZero())).toBe(true);
    const own = lines.filter((l) => l.account === `user:${user.id}`).map((l) => [l.asset, l.bucket, l.kind, new Decimal(l.amount).toFixed()]);
    expect(own.sort()).toEqual(
      [
        ['USD', 'available', 'trade', '-99.9000999'],
        ['USD', 'available', 'fee', '-0.0999001'],
        ['USDT', 'locked', 'trade', '99.880123'],
      ].sort(),
    );

    // A replay of the key answers the first result (no new code); the key with another quote is a conflict.
    const replay = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: 'not-needed' }, 'co-1').expect(201);
    expect(replay.body).toEqual(res.body);
    const q2 = await newQuote(user, '20');
    const conflict = await cashOut(user, { quoteId: q2.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![1] }, 'co-1').expect(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    // The used quote, again: the same withdrawal, never a second one; to another address, refused.
    const again = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: 'not-needed' }).expect(201);
    expect(again.body.withdrawal.id).toBe(w.id);
    const elsewhere = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDC, twoFactorCode: 'not-needed' }).expect(409);
    expect(elsewhere.body.error).toEqual({
      code: 'INVALID_STATE',
      message: 'This quote was already used for a cash-out to another address: get a new quote',
    });
    expect(await db.query(`SELECT id FROM withdrawals WHERE user_id = $1`, [user.id])).toEqual([{ id: w.id }]);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '900.00' });

    // Listed with its dollars; told to the owner as a cash-out.
    const listed = await allPages<{ id: string; cashOut: unknown }>(app, user, '/api/wallet/withdrawals');
    expect(listed).toEqual([expect.objectContaining({ id: w.id, cashOut: w.cashOut })]);
    const told = await mail.waitFor(user.email, (m) => m.subject.startsWith('Cash-out requested'));
    expect(told.subject).toBe('Cash-out requested: $100.00 as 97.380123 USDT');
    expect(told.text.trim()).toBe(
      'We received your request to cash out $100.00. It was converted to 99.880123 USDT and 97.380123 USDT is sent (network fee 2.5 USDT) ' +
        `to your saved address “USDT test wallet” (${TRON_ADDRESS}) on tron. If it is not sent, the $100.00 comes back to your USD balance. ` +
        'If this was not you, cancel it and change your password now.',
    );
    const inApp = await request(app.url).get('/api/notifications').set(user.auth).expect(200);
    const note = inApp.body.items.find((n: { type: string }) => n.type === 'withdrawal_updated');
    expect(note.data).toMatchObject({ status: 'pending', asset: 'USDT', amount: '97.38012300', cashOutUsd: '100.00', cashOutPrice: '1.0002' });
    const transactions = await allPages<{ type: string; asset: string; amount: string; reference: string }>(app, user, '/api/transactions');
    expect(
      transactions
        .filter((t) => t.reference === `withdrawal:${w.id}:hold`)
        .map((t) => [t.type, t.asset, new Decimal(t.amount).toFixed()])
        .sort(),
    ).toEqual(
      [
        ['fee', 'USD', '-0.0999001'],
        ['trade', 'USD', '-99.9000999'],
        ['trade', 'USDT', '99.880123'],
      ].sort(),
    );
    const [audit] = await db.query<{ details: { cashOut: unknown; usdValue: string } }>(
      `SELECT details FROM audit_logs WHERE action = 'wallet.withdrawal_requested' AND details->>'withdrawalId' = $1`,
      [w.id],
    );
    expect(audit.details).toMatchObject({ usdValue: '100.00', cashOut: { quoteId: q.id, usdAmount: '100.00', price: '1.0002' } });

    // Approved and sent as any withdrawal: what arrives leaves to external:withdrawals, the network fee to platform:fees.
    await request(app.url).post(`/api/admin/withdrawals/${w.id}/approve`).set(admin.auth).expect(200);
    await request(app.url)
      .post(`/api/admin/withdrawals/${w.id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'c'.repeat(64) })
      .expect(200);
    await expectNone(user, 'USDT');
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '900.00', locked: '0.00' });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('makes one withdrawal and one journal when 30 cash-outs race with one quote; every success answers that withdrawal', async () => {
    const user = await withDollars('1000');
    const q = await newQuote(user, '200');
    // 10 backup codes and one TOTP code are valid once each; the other 19 requests reuse codes.
    const backups = [...user.backupCodes!];
    const credentials = Array.from({ length: 11 }, () => backups.shift() ?? totpCode(user.totpSecret!, 1));
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: credentials[i % 11] })),
    );
    const statuses = replies.map((r) => r.status);
    // A reused code is refused (401) unless its request found the quote already used (then it answers that withdrawal).
    expect(statuses.every((s) => s === 201 || s === 401)).toBe(true);
    const ids = new Set(replies.filter((r) => r.status === 201).map((r) => r.body.withdrawal.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(11);

    const rows = await db.query<{ id: string; required_approvals: number }>(`SELECT id, required_approvals FROM withdrawals WHERE cash_out_quote_id = $1`, [
      q.id,
    ]);
    expect(rows).toEqual([{ id, required_approvals: 2 }]);
    expect(await journals(`withdrawal:${id}:hold`)).toHaveLength(1);
    expect(await db.query(`SELECT status, withdrawal_id FROM cash_out_quotes WHERE id = $1`, [q.id])).toEqual([{ status: 'used', withdrawal_id: id }]);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '800.00', locked: '0.00' });
    expect(await balanceOf(app, user, 'USDT')).toMatchObject({ locked: expected('200').converted.toFixed(8) });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('refuses an expired quote with 409 QUOTE_EXPIRED before a code is used up, and nothing moves', async () => {
    const user = await withDollars('500');
    const q = await newQuote(user, '100');
    // The quote's ten seconds, passed.
    await db.query(`UPDATE cash_out_quotes SET created_at = created_at - interval '1 hour', expires_at = expires_at - interval '1 hour' WHERE id = $1`, [q.id]);
    const late = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(409);
    expect(late.body.error).toEqual({ code: 'QUOTE_EXPIRED', message: 'This quote has expired: get a new quote' });
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '500.00', locked: '0.00' });
    expect(await db.query(`SELECT id FROM withdrawals WHERE user_id = $1`, [user.id])).toEqual([]);
    // The backup code was not used up: a fresh quote goes through with it.
    const fresh = await newQuote(user, '100');
    await cashOut(user, { quoteId: fresh.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(201);
    // Another user's quote, or none, is 404.
    const other = await withDollars('100');
    const theirs = await cashOut(other, { quoteId: q.id, addressId: other.addressIds.USDT, twoFactorCode: other.backupCodes![0] }).expect(404);
    expect(theirs.body.error).toEqual({ code: 'NOT_FOUND', message: 'No such cash-out quote' });
    await cashOut(other, { quoteId: randomUUID(), addressId: other.addressIds.USDT, twoFactorCode: other.backupCodes![0] }).expect(404);
  });

  it('refuses with 422 INSUFFICIENT_FUNDS when the dollars are no longer there, and nothing moves', async () => {
    const user = await withDollars('100');
    const q = await newQuote(user, '100');
    await fund(app, admin, user, 'USD', '-50');
    const res = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(422);
    expect(res.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(res.body.error.details).toEqual([{ field: 'USD', message: 'needs 100.00, available 50.00' }]);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '50.00', locked: '0.00' });
    expect((await balanceOf(app, user, 'USDT')).total).toBe('0');
    expect(await db.query(`SELECT id FROM withdrawals WHERE user_id = $1`, [user.id])).toEqual([]);
    expect(await db.query(`SELECT status FROM cash_out_quotes WHERE id = $1`, [q.id])).toEqual([{ status: 'open' }]);
    // Funded again within the quote's life, the same quote and the same (unused) code go through.
    await fund(app, admin, user, 'USD', '50');
    await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(201);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '0.00' });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('gives the dollars back whole, exactly once, at the quote’s price when a cash-out is rejected or cancelled', async () => {
    const user = await withDollars('1000');
    const feesBefore = await usdFees();
    const q = await newQuote(user, '100');
    const created = await cashOut(user, { quoteId: q.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(201);
    const id = created.body.withdrawal.id as string;
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '900.00' });

    const rejects = await Promise.all(
      [admin, admin2, admin, admin2, admin].map((a, i) =>
        request(app.url)
          .post(`/api/admin/withdrawals/${id}/reject`)
          .set(a.auth)
          .send({ reason: `Review ${i}` }),
      ),
    );
    expect(rejects.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '1000.00', locked: '0.00' });
    await expectNone(user, 'USDT');
    expect((await usdFees()).toFixed()).toBe(feesBefore.toFixed());
    const [reversal, ...more] = await journals(`withdrawal:${id}:release`);
    expect(more).toEqual([]);
    expect(reversal).toMatchObject({
      type: 'cash_out_reversal',
      description: 'Cash-out of $100.00 rejected: 99.880123 USDT converted back at $1.0002, $100.00 available again',
    });
    await request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(user.auth).expect(409);
    const told = await mail.waitFor(user.email, (m) => m.subject.startsWith('Withdrawal rejected'));
    expect(told.text.trim()).toMatch(
      /^Your withdrawal of 97\.380123 USDT to “USDT test wallet” was rejected: Review \d\. \$100\.00 is available again in your USD balance\.$/,
    );

    // Cancelled by its owner (twice at once): the same, once.
    const q2 = await newQuote(user, '250.50');
    const second = await cashOut(user, { quoteId: q2.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![1] }).expect(201);
    const id2 = second.body.withdrawal.id as string;
    expect(second.body.withdrawal.requiredApprovals).toBe(2);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '749.50' });
    const cancels = await Promise.all([1, 2].map(() => request(app.url).post(`/api/wallet/withdraw/${id2}/cancel`).set(user.auth)));
    expect(cancels.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '1000.00', locked: '0.00' });
    await expectNone(user, 'USDT');
    expect(await journals(`withdrawal:${id2}:release`)).toEqual([expect.objectContaining({ type: 'cash_out_reversal' })]);
    const cancelled = await mail.waitFor(user.email, (m) => m.subject.startsWith('Withdrawal cancelled'));
    expect(cancelled.text.trim()).toBe(
      `Your withdrawal of ${expected('250.50').receive.toFixed()} USDT to “USDT test wallet” was cancelled; $250.50 is available again in your USD balance.`,
    );
    const notes = (await request(app.url).get('/api/notifications').set(user.auth).expect(200)).body.items as { type: string; data: Record<string, unknown> }[];
    expect(notes.find((n) => n.type === 'withdrawal_updated' && n.data.status === 'cancelled')?.data).toMatchObject({ cashOutUsd: '250.50' });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('applies the rules of a withdrawal: the address and its network, two-factor, the daily limit in dollars', async () => {
    const user = await withDollars('1500');
    // The quote is for Ethereum; the saved USDT address is on Tron.
    const eth = await newQuote(user, '100', 'USDT', 'ethereum');
    const mismatch = await cashOut(user, { quoteId: eth.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(422);
    expect(mismatch.body.error).toEqual({
      code: 'ADDRESS_NETWORK_MISMATCH',
      message: 'This address receives USDT on tron; the quote is for ethereum: choose an address on ethereum or get a new quote',
      details: [{ field: 'addressId', message: 'receives USDT on tron, not on ethereum' }],
    });
    // An address of another asset, an unknown one.
    const tron = await newQuote(user, '100', 'USDT', 'tron');
    const usdc = await cashOut(user, { quoteId: tron.id, addressId: user.addressIds.USDC, twoFactorCode: user.backupCodes![0] }).expect(422);
    expect(usdc.body.error.code).toBe('ADDRESS_ASSET_MISMATCH');
    await cashOut(user, { quoteId: tron.id, addressId: randomUUID(), twoFactorCode: user.backupCodes![0] }).expect(404);
    // A code (or a passkey) is required, and must be right.
    const missing = await cashOut(user, { quoteId: tron.id, addressId: user.addressIds.USDT }).expect(400);
    expect(missing.body.error.details).toEqual([
      { field: 'twoFactorCode', message: 'Enter the 6-digit code from your authenticator app, or confirm with a passkey' },
    ]);
    expect((await cashOut(user, { quoteId: tron.id, addressId: user.addressIds.USDT, twoFactorCode: '000000' }).expect(401)).body.error.code).toBe(
      'TWO_FACTOR_INVALID',
    );
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '1500.00' });
    // The daily limit counts the dollars (1000 here): quoting over it is refused, and so is what would pass it.
    const over = await quote(user, { usdAmount: '1000.01', asset: 'USDT' }).expect(422);
    expect(over.body.error).toEqual({ code: 'LIMIT_EXCEEDED', message: 'Withdrawals are limited to 1000 USD per 24 hours; 1000.00 USD left' });
    const big = await newQuote(user, '950');
    const rest = await newQuote(user, '60');
    await cashOut(user, { quoteId: big.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![0] }).expect(201);
    const past = await cashOut(user, { quoteId: rest.id, addressId: user.addressIds.USDT, twoFactorCode: user.backupCodes![1] }).expect(422);
    expect(past.body.error).toEqual({ code: 'LIMIT_EXCEEDED', message: 'Withdrawals are limited to 1000 USD per 24 hours; 50.00 USD left' });
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '550.00' });
    const rules = await request(app.url).get('/api/wallet/withdrawal-rules').set(user.auth).expect(200);
    expect(rules.body.rules.dailyRemainingUsd).toBe('50.00');

    // Without two-factor: quoting is allowed, cashing out is not.
    const plain = await createUser(app, mail);
    await fund(app, admin, plain, 'USD', '100');
    const pq = await newQuote(plain, '50');
    const refused = await cashOut(plain, { quoteId: pq.id, addressId: randomUUID(), twoFactorCode: '123456' }).expect(403);
    expect(refused.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
  });
});
