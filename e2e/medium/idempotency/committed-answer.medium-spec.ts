import { unprocessable } from '../../../backend/src/common/errors/app-error';
import { IdempotencyRepository } from '../../../backend/src/common/idempotency/idempotency.repository';
import { IdempotencyService } from '../../../backend/src/common/idempotency/idempotency.service';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';
import { waitFor } from '../../support/wait';

/**
 * IdempotencyService.committedAnswer: what a caller that lost every answer learns from the key (the recurring-buy
 * runner before it records a run as failed or skipped). Only an answer that committed for the same body counts; a
 * request still in flight under the key is waited for; nothing is ever placed or left behind under the key.
 */
describe('IdempotencyService.committedAnswer (PostgreSQL)', () => {
  let m: MediumDatabase;
  let svc: IdempotencyService;
  let userId: string;
  const SCOPE = 'orders.create';
  const body = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10.00' };
  const placed = { order: { id: 'order-1', status: 'filled', quantity: '0.0001' } };
  let n = 0;
  const freshKey = () => `recurring-buy:medium:${++n}`;

  const keyRows = (key: string) => m.db.query<{ status_code: number | null }>(`SELECT status_code FROM idempotency_keys WHERE key = $1`, [key]);

  beforeAll(async () => {
    m = await mediumDatabase();
    svc = new IdempotencyService(new UnitOfWork(m.ds), new IdempotencyRepository(m.ds));
    const [row] = await m.db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ('keys@example.test', 'Key Holder', 'x') RETURNING id`,
    );
    userId = row.id;
  });

  afterAll(async () => {
    await m?.close();
  });

  it('says nothing committed under a key never used, and leaves the key free for the request that uses it next', async () => {
    const key = freshKey();
    await expect(svc.committedAnswer(userId, SCOPE, key, body)).resolves.toBeUndefined();
    expect(await keyRows(key)).toEqual([]);
    // The next request under the key does its work (it is not answered as a replay of anything).
    let ran = false;
    await svc.run({ userId, scope: SCOPE, key, body }, async () => {
      ran = true;
      return placed;
    });
    expect(ran).toBe(true);
  });

  it('gives the answer committed under the key for the same body, and nothing for another body or a refusal', async () => {
    const key = freshKey();
    await svc.run({ userId, scope: SCOPE, key, body }, async () => placed);
    await expect(svc.committedAnswer(userId, SCOPE, key, { ...body })).resolves.toEqual(placed);
    // The owner's own request under the key, with another body, is not this caller's order.
    await expect(svc.committedAnswer(userId, SCOPE, key, { ...body, quoteAmount: '20.00' })).resolves.toBeUndefined();

    const refused = freshKey();
    await expect(
      svc.run({ userId, scope: SCOPE, key: refused, body }, async () => {
        throw unprocessable('INSUFFICIENT_FUNDS', 'Insufficient USD balance');
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await keyRows(refused)).toEqual([{ status_code: 422 }]);
    await expect(svc.committedAnswer(userId, SCOPE, refused, body)).resolves.toBeUndefined();
  });

  /** Waits until the request in flight has claimed the key (its transaction is open, its last statement the claim). */
  const claimHeld = () =>
    waitFor(async () => {
      const rows = await m.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'INSERT INTO idempotency_keys%'`,
      );
      return Number(rows[0].n) > 0;
    });

  /** Waits until a session is blocked on a lock while inserting into idempotency_keys (committedAnswer's claim). */
  const claimWaiting = () =>
    waitFor(async () => {
      const rows = await m.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO idempotency_keys%'`,
      );
      return Number(rows[0].n) > 0;
    });

  /**
   * A request under `key` that has claimed it and waits, and committedAnswer asked meanwhile (seen blocked on the
   * claim); `end` lets the request finish with what its work does then.
   */
  async function askedWhileInFlight(key: string, work: () => Promise<typeof placed>) {
    let end!: () => void;
    const gate = new Promise<void>((r) => (end = r));
    const inFlight = svc.run({ userId, scope: SCOPE, key, body }, async () => {
      await gate;
      return work();
    });
    await claimHeld();
    let settled = false;
    const answer = svc.committedAnswer(userId, SCOPE, key, body).finally(() => (settled = true));
    await claimWaiting();
    expect(settled).toBe(false);
    end();
    return { inFlight, answer };
  }

  it('waits for a request in flight under the key and gives its answer once it commits', async () => {
    const { inFlight, answer } = await askedWhileInFlight(freshKey(), async () => placed);
    await expect(inFlight).resolves.toEqual(placed);
    await expect(answer).resolves.toEqual(placed);
  });

  it('waits for a request in flight under the key and says nothing committed when it rolls back', async () => {
    const key = freshKey();
    const { inFlight, answer } = await askedWhileInFlight(key, async () => {
      throw new Error('Connection terminated unexpectedly');
    });
    await expect(inFlight).rejects.toThrow('Connection terminated');
    await expect(answer).resolves.toBeUndefined();
    expect(await keyRows(key)).toEqual([]);
  });
});
