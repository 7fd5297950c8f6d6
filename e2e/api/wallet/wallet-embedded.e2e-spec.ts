import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createUser } from '../../support/factories';
import { createWithdrawer } from '../../support/withdrawer';
import { balanceOf, fund } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

jest.setTimeout(120_000);

describe('money in and out on the embedded default (PGlite, in-process Redis twins, sandbox payments)', () => {
  let app: RunningApp;
  let mail: SmtpSink;

  beforeAll(async () => {
    mail = await SmtpSink.start();
    app = await startApp(suiteEnv(undefined, { REDIS_URL: '', SMTP_URL: mail.url }), { timeoutMs: 50_000 });
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
  });

  it('credits a simulated sandbox deposit once and holds, then releases, a cancelled withdrawal', async () => {
    const admin = await createUser(app, mail, { admin: true });
    const user = await createWithdrawer(app, mail, { asset: 'ETH' });
    const created = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ amount: '150', currency: 'eth' }).expect(201);
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(user.auth).expect(200);
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(user.auth).expect(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '150.00' });

    await fund(app, admin, user, 'ETH', '0.1');
    const w = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'ETH', amount: '0.02', addressId: user.addressId, twoFactorCode: user.backupCodes![0] })
      .expect(201);
    expect(await balanceOf(app, user, 'ETH')).toMatchObject({ available: '0.07850000', locked: '0.02150000' });
    await request(app.url).post(`/api/wallet/withdraw/${w.body.withdrawal.id}/cancel`).set(user.auth).expect(200);
    expect(await balanceOf(app, user, 'ETH')).toMatchObject({ available: '0.10000000', locked: '0.00000000' });
  });
});
