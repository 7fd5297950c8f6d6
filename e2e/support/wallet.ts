import request from 'supertest';
import type { RunningApp } from './app';
import type { TestDatabase } from './database';
import { type TestUser, totpCode } from './factories';

/**
 * Gives an existing user the admin role (there is no API to appoint a second
 * admin yet) and signs them in again (with the next TOTP step when 2FA is on),
 * so the new token carries the role.
 */
export async function promoteToAdmin(app: RunningApp, db: TestDatabase, user: TestUser): Promise<TestUser> {
  await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
  const twoFactorCode = user.totpSecret ? totpCode(user.totpSecret, 1) : undefined;
  const login = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode });
  if (login.status !== 200) throw new Error(`re-login of ${user.email}: ${login.status} ${JSON.stringify(login.body)}`);
  return { ...user, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken, auth: { Authorization: `Bearer ${login.body.accessToken}` } };
}
