import request from 'supertest';
import type { RunningApp } from './app';
import { type TestUser, totpCode } from './factories';

/**
 * Makes `user` an admin the way an operator would (PATCH /api/admin/users/:id
 * by an existing admin), then signs them in again (with the next TOTP step
 * when 2FA is on), so the new token carries the role.
 */
export async function promoteToAdmin(app: RunningApp, by: TestUser, user: TestUser): Promise<TestUser> {
  const patch = await request(app.url).patch(`/api/admin/users/${user.id}`).set(by.auth).send({ role: 'admin' });
  if (patch.status !== 200) throw new Error(`promoting ${user.email}: ${patch.status} ${JSON.stringify(patch.body)}`);
  const twoFactorCode = user.totpSecret ? totpCode(user.totpSecret, 1) : undefined;
  const login = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode });
  if (login.status !== 200) throw new Error(`re-login of ${user.email}: ${login.status} ${JSON.stringify(login.body)}`);
  return { ...user, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken, auth: { Authorization: `Bearer ${login.body.accessToken}` } };
}
