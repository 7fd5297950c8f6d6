import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../backend/src/config/config.service';
import { dec } from '../../../backend/src/common/money/decimal';
import { databaseTarget } from '../../../backend/src/database/data-source-options';
import { inTransaction } from '../../../backend/src/database/transaction';
import { LedgerRepository } from '../../../backend/src/ledger/ledger.repository';
import { LedgerService } from '../../../backend/src/ledger/ledger.service';
import { EXTERNAL_DEPOSITS, LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY } from '../../../backend/src/ledger/ledger.types';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { runReconcile } from '../../support/money';

const SHARDS = 4;

/**
 * The sharded platform balance rows, driven through LedgerService on a real
 * migrated database: credits spread over the shards, a debit of
 * `platform:fees` checks the sum of its shards and never overdraws one, and
 * the migration keeps existing single rows as shard 0.
 */
describe('ledger: sharded platform balance rows', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let ledger: LedgerService;
  let seq = 0;

  const config = { get: (key: string) => (key === 'ledgerPlatformShards' ? SHARDS : undefined) } as unknown as AppConfig;
  const line = (account: string, asset: string, amount: string): LedgerLine => ({
    account,
    asset,
    amount: dec(amount),
    bucket: 'available',
    kind: 'adjustment',
  });
  /** Moves `amount` USD from one account to another in its own transaction. */
  const move = (from: string, to: string, amount: string) =>
    inTransaction(ds, (em) =>
      ledger.post(em, { type: 'adjustment', reference: `test:${++seq}`, lines: [line(from, 'USD', `-${amount}`), line(to, 'USD', amount)] }),
    );
  const shardsOf = async (account: string) =>
    (
      await db.query<{ shard: number; available: string }>(`SELECT shard, available::text FROM balances WHERE account = $1 AND asset = 'USD' ORDER BY shard`, [
        account,
      ])
    ).map((r) => [r.shard, dec(r.available).toFixed()]);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(databaseTarget({ databaseUrl: db.url, dataDir: '' }).options).initialize();
    ledger = new LedgerService(config, new LedgerRepository(ds));
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('credits the platform accounts one shard per journal, round-robin, and sums the shards as the balance', async () => {
    for (let i = 0; i < SHARDS * 2; i++) await move(EXTERNAL_DEPOSITS, PLATFORM_FEES, '1.5');
    expect((await shardsOf(PLATFORM_FEES)).map(([, v]) => v)).toEqual(['3', '3', '3', '3']);
    const balances = await ledger.balancesOf(PLATFORM_FEES);
    expect(balances.map((b) => [b.asset, dec(b.available).toFixed()])).toEqual([['USD', '12']]);
    // The treasury is a contra account: any shard may go negative.
    for (let i = 0; i < SHARDS; i++) await move(PLATFORM_TREASURY, EXTERNAL_DEPOSITS, '2');
    expect((await shardsOf(PLATFORM_TREASURY)).map(([, v]) => v)).toEqual(['-2', '-2', '-2', '-2']);
  });

  it('debits platform:fees across its shards when no single shard holds the amount, leaving none negative', async () => {
    await move(PLATFORM_FEES, EXTERNAL_DEPOSITS, '10');
    const after = await shardsOf(PLATFORM_FEES);
    expect(after.reduce((sum, [, v]) => sum.add(v as string), dec(0)).toFixed()).toBe('2');
    expect(after.every(([, v]) => !dec(v as string).isNegative())).toBe(true);
  });

  it('refuses a debit of platform:fees larger than the sum of its shards with INSUFFICIENT_FUNDS, moving nothing', async () => {
    await expect(move(PLATFORM_FEES, EXTERNAL_DEPOSITS, '2.000000000000000001')).rejects.toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS' });
    const after = await shardsOf(PLATFORM_FEES);
    expect(after.reduce((sum, [, v]) => sum.add(v as string), dec(0)).toFixed()).toBe('2');
  });

  it('refuses to debit platform:fees on the one-statement path, which cannot lock all its shards first', async () => {
    const input = { type: 'adjustment', reference: `test:${++seq}`, lines: [line(PLATFORM_FEES, 'USD', '-1'), line(EXTERNAL_DEPOSITS, 'USD', '1')] };
    await expect(ledger.postManyInOneStatement(ds.manager, [input], { parts: [], select: 'SELECT id FROM j' })).rejects.toThrow(/must lock its shards/);
    expect(await db.query(`SELECT 1 FROM ledger_journals WHERE reference = $1`, [input.reference])).toEqual([]);
  });

  it('lets exactly as many concurrent debits of platform:fees through as its shards cover, with reconcile clean', async () => {
    for (let i = 0; i < SHARDS; i++) await move(EXTERNAL_DEPOSITS, PLATFORM_FEES, '2');
    // 10 USD in the shards; twelve debits of 1 race for it.
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => move(PLATFORM_FEES, EXTERNAL_DEPOSITS, '1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      'INSUFFICIENT_FUNDS',
      'INSUFFICIENT_FUNDS',
    ]);
    const after = await shardsOf(PLATFORM_FEES);
    expect(after.every(([, v]) => dec(v as string).isZero())).toBe(true);
    const reconcile = await runReconcile(db.url);
    expect(reconcile.output).toContain('reconcile: ledger and balances agree');
    expect(reconcile.code).toBe(0);
  });

  it('keeps the balances the migration found as shard 0, and folds the shards back into one row when reverted', async () => {
    const fees = await db.query<{ total: string }>(`SELECT sum(available)::text AS total FROM balances WHERE account = $1`, [PLATFORM_TREASURY]);
    // Revert the shards and every migration after them (newest first), back to one row per account and asset.
    const shards = ds.migrations.findIndex((m) => m.name === 'BalanceShards1764350000000');
    expect(shards).toBeGreaterThan(0);
    for (let i = ds.migrations.length - 1; i >= shards; i--) await ds.undoLastMigration();
    const folded = await db.query<{ account: string; available: string }>(`SELECT account, available::text FROM balances WHERE account = $1`, [
      PLATFORM_TREASURY,
    ]);
    expect(folded.map((r) => [r.account, dec(r.available).toFixed()])).toEqual([[PLATFORM_TREASURY, dec(fees[0].total).toFixed()]]);
    await db.query(`INSERT INTO balances (account, asset, available) VALUES ('platform:fees', 'EUR', 7.25)`);
    await ds.runMigrations();
    const kept = await db.query<{ shard: number; available: string }>(
      `SELECT shard, available::text FROM balances WHERE account = 'platform:fees' AND asset = 'EUR'`,
    );
    expect(kept.map((r) => [r.shard, dec(r.available).toFixed()])).toEqual([[0, '7.25']]);
    // Only platform accounts may have shards other than 0.
    await expect(db.query(`INSERT INTO balances (account, asset, shard) VALUES ('user:00000000-0000-4000-8000-000000000000', 'USD', 1)`)).rejects.toThrow(
      /balances_shard_platform_only/,
    );
    // The row was written without entries: reconcile names exactly it, and nothing of the sharded history.
    const reconcile = await runReconcile(db.url);
    expect(reconcile.code).toBe(1);
    expect(reconcile.output).toContain('platform:fees EUR: balance available 7.25');
    expect(reconcile.output).toContain('balances equal the sum of their entries (1 violation)');
  });
});
