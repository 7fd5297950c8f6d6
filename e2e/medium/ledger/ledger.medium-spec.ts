import type { AppConfig } from '../../../backend/src/config/config.service';
import { dec } from '../../../backend/src/common/money/decimal';
import { AppError } from '../../../backend/src/common/errors/app-error';
import { inTransaction } from '../../../backend/src/database/transaction';
import { LedgerRepository } from '../../../backend/src/ledger/ledger.repository';
import { LedgerService } from '../../../backend/src/ledger/ledger.service';
import { EXTERNAL_DEPOSITS, LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY, userAccount } from '../../../backend/src/ledger/ledger.types';
import { LedgerReaderRepository } from '../../../backend/src/ledger/reader/ledger-reader.repository';
import { LedgerReader } from '../../../backend/src/ledger/reader/ledger.reader';
import { ReconciliationRepository } from '../../../backend/src/ledger/reconciliation.repository';
import { statementPart } from '../../../backend/src/ledger/statement-parts';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/**
 * The ledger driven in-process on a template-cloned database: journals and
 * balances move together, overdrafts are refused with the amounts, the
 * one-statement path runs the caller's parts (values) in its statement, the
 * reader shows a user what happened, and the reconciliation stays clean.
 */
describe('LedgerService / LedgerRepository / LedgerReader', () => {
  let m: MediumDatabase;
  let ledger: LedgerService;
  let reader: LedgerReader;
  let userId: string;
  let user: string;
  let seq = 0;

  const config = { get: (key: string) => (key === 'ledgerPlatformShards' ? 2 : undefined) } as unknown as AppConfig;
  const line = (
    account: string,
    asset: string,
    amount: string,
    kind: LedgerLine['kind'] = 'deposit',
    bucket: LedgerLine['bucket'] = 'available',
  ): LedgerLine => ({
    account,
    asset,
    amount: dec(amount),
    bucket,
    kind,
  });
  const usd = async () => (await ledger.balancesOf(user)).find((b) => b.asset === 'USD');

  beforeAll(async () => {
    m = await mediumDatabase();
    ledger = new LedgerService(config, new LedgerRepository(m.ds));
    reader = new LedgerReader(new LedgerReaderRepository(m.ds));
    const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('ledger@example.test', 'x', 'x') RETURNING id`);
    userId = row.id;
    user = userAccount(userId);
  });
  afterAll(() => m?.close());

  it('posts a deposit: the journal, its entries and the balance in one go, and the reader lists it', async () => {
    await inTransaction(m.ds, (tx) =>
      ledger.post(tx, {
        type: 'deposit',
        reference: `t:${++seq}`,
        userId,
        description: 'Deposit',
        lines: [line(user, 'USD', '100'), line(EXTERNAL_DEPOSITS, 'USD', '-100')],
      }),
    );
    expect(dec((await usd())!.available).toFixed()).toBe('100');
    const list = await reader.transactions(user, {});
    expect(list.map((t) => [t.type, t.asset, dec(t.amount).toFixed(), t.description])).toEqual([['deposit', 'USD', '100', 'Deposit']]);
    expect(await reader.transaction(user, list[0].id)).toMatchObject({ reference: `t:${seq}` });
    expect((await reader.totals(user)).map((t) => [t.asset, dec(t.total).toFixed()])).toEqual([['USD', '100']]);
  });

  it('refuses an overdraft with what was needed and what is available, writing nothing', async () => {
    const attempt = inTransaction(m.ds, (tx) =>
      ledger.post(tx, {
        type: 'withdrawal',
        reference: `t:${++seq}`,
        userId,
        lines: [line(user, 'USD', '-150', 'withdrawal'), line(EXTERNAL_DEPOSITS, 'USD', '150', 'withdrawal')],
      }),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: [{ field: 'USD', message: 'needs 150.00, available 100.00' }] });
    expect(dec((await usd())!.available).toFixed()).toBe('100');
  });

  it("holds and releases within the user's buckets; the transaction list does not show them", async () => {
    await inTransaction(m.ds, (tx) => ledger.hold(tx, { account: user, asset: 'USD', amount: dec(30), type: 'order_hold', reference: `t:${++seq}`, userId }));
    expect(await usd()).toMatchObject({ available: expect.stringMatching(/^70(\.0+)?$/), locked: expect.stringMatching(/^30(\.0+)?$/) });
    await inTransaction(m.ds, (tx) =>
      ledger.release(tx, { account: user, asset: 'USD', amount: dec(30), type: 'order_cancel', reference: `t:${++seq}`, userId }),
    );
    expect(dec((await usd())!.locked).toFixed()).toBe('0');
    expect((await reader.transactions(user, {})).map((t) => t.type)).toEqual(['deposit']);
  });

  it('refuses the same reference twice as ALREADY_EXISTS', async () => {
    const post = () =>
      inTransaction(m.ds, (tx) =>
        ledger.post(tx, { type: 'deposit', reference: 'once', userId, lines: [line(user, 'USD', '1'), line(EXTERNAL_DEPOSITS, 'USD', '-1')] }),
      );
    await post();
    await expect(post()).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it("posts several journals in one statement with the caller's parts, given as values, and returns their rows", async () => {
    const trade = (ref: string): { type: string; reference: string; userId: string; lines: LedgerLine[] } => ({
      type: 'trade',
      reference: ref,
      userId,
      lines: [
        line(user, 'USD', '-10', 'trade'),
        line(PLATFORM_TREASURY, 'USD', '10', 'trade'),
        line(user, 'USD', '-1', 'fee'),
        line(PLATFORM_FEES, 'USD', '1', 'fee'),
      ],
    });
    // A part that records something of its own once the journals exist: here, it reads them back.
    const part = statementPart((bind) => [
      { name: 'x', sql: `SELECT j.reference, ${bind('marker')}::text AS marker FROM j WHERE (SELECT count(*) FROM j) > 0` },
    ]);
    const rows = await ledger.postManyInOneStatement<{ reference: string; marker: string }>(m.ds.manager, [trade('many:1')], {
      parts: [part],
      select: 'SELECT * FROM x',
    });
    expect(rows).toEqual([{ reference: 'many:1', marker: 'marker' }]);
    expect(dec((await usd())!.available).toFixed()).toBe('90');
    // An overdraft refuses the whole statement, with the amounts, inside a transaction too (savepoint).
    const big = { ...trade('many:2'), lines: [line(user, 'USD', '-1000', 'trade'), line(PLATFORM_TREASURY, 'USD', '1000', 'trade')] };
    await expect(inTransaction(m.ds, (tx) => ledger.postManyInOneStatement(tx, [big], { parts: [], select: 'SELECT id FROM j' }))).rejects.toBeInstanceOf(
      AppError,
    );
    expect(dec((await usd())!.available).toFixed()).toBe('90');
  });

  it('reconciles: every invariant holds after all of the above', async () => {
    const checks = await new ReconciliationRepository(m.ds).checks();
    expect(checks.filter((c) => c.count > 0)).toEqual([]);
    expect(checks.map((c) => c.name)).toContain('balances equal the sum of their entries');
  });

  it('reports a balance that disagrees with its entries', async () => {
    await m.db.query(`UPDATE balances SET available = available + 1 WHERE account = $1 AND asset = 'USD'`, [user]);
    const broken = (await new ReconciliationRepository(m.ds).checks()).find((c) => c.name === 'balances equal the sum of their entries')!;
    expect(broken.count).toBe(1);
    expect(broken.violations[0]).toContain(user);
    await m.db.query(`UPDATE balances SET available = available - 1 WHERE account = $1 AND asset = 'USD'`, [user]);
  });
});
