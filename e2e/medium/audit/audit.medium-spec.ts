import { Logger } from '@nestjs/common';
import { AuditRepository } from '../../../backend/src/audit/audit.repository';
import { AuditService } from '../../../backend/src/audit/audit.service';
import { requestContext } from '../../../backend/src/common/request-context';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('AuditService over AuditRepository (the append-only audit log)', () => {
  let m: MediumDatabase;
  let audit: AuditService;
  let uow: UnitOfWork;
  let user: string;

  beforeAll(async () => {
    Logger.overrideLogger(false); // the service logs each event; the rows are what this test reads
    m = await mediumDatabase();
    audit = new AuditService(new AuditRepository(m.ds));
    uow = new UnitOfWork(m.ds);
    [{ id: user }] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('a@a.test', 'x', 'x') RETURNING id`);
  });
  afterAll(() => m?.close());

  it('records who, what and from where (the request context), and the log refuses changes', async () => {
    await requestContext.run({ requestId: 'req-1', ip: '203.0.113.9', userAgent: 'Agent/1' } as never, () =>
      audit.record({ action: 'auth.login', userId: user, details: { sessionId: 's-1' } }),
    );
    const [row] = await audit.list({ action: 'auth.login', limit: 5 });
    expect(row).toMatchObject({
      action: 'auth.login',
      user_id: user,
      actor_id: null,
      ip: '203.0.113.9',
      user_agent: 'Agent/1',
      request_id: 'req-1',
      details: { sessionId: 's-1' },
    });
    await expect(m.db.query('UPDATE audit_logs SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(m.db.query('DELETE FROM audit_logs')).rejects.toThrow(/append-only/);
  });

  it('writes in the caller’s transaction: a rolled-back change leaves no audit row', async () => {
    await expect(
      uow.run(async (tx) => {
        await audit.record({ action: 'admin.rolled_back', userId: user }, tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await audit.list({ action: 'admin.rolled_back', limit: 5 })).toEqual([]);
  });

  it('lists newest first by user, exact action or prefix, time range, and pages by id', async () => {
    for (const action of ['admin.user_suspended', 'admin.user_reinstated', 'admin.viewed', 'auth.logout'])
      await audit.record({ action, userId: user, actorId: user });
    const admin = await audit.list({ userId: user, action: 'admin.', limit: 10 });
    expect(admin.map((r) => r.action)).toEqual(['admin.viewed', 'admin.user_reinstated', 'admin.user_suspended']);
    expect((await audit.list({ action: 'admin.viewed', limit: 10 })).map((r) => r.action)).toEqual(['admin.viewed']);
    const page2 = await audit.list({ userId: user, action: 'admin.', beforeId: admin[0].id, limit: 10 });
    expect(page2.map((r) => r.action)).toEqual(['admin.user_reinstated', 'admin.user_suspended']);
    expect(await audit.list({ userId: user, from: new Date(Date.now() + 60_000), limit: 10 })).toEqual([]);
    expect((await audit.list({ userId: user, to: new Date(Date.now() + 60_000), limit: 2 })).length).toBe(2);
  });
});
