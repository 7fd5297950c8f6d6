import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import type { RunningApp } from './app';
import type { TestDatabase } from './database';
import type { TestUser } from './factories';

const RECONCILE = join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'reconcile.js');

/** Credits (or, negative, debits) a user through the admin ledger adjustment endpoint. */
export async function fund(app: RunningApp, admin: TestUser, userId: string, asset: string, amount: string): Promise<void> {
  const res = await request(app.url).post('/api/admin/ledger/adjustments').set(admin.auth).send({ userId, asset, amount, reason: 'e2e funding' });
  if (res.status !== 201) throw new Error(`funding ${userId} with ${amount} ${asset}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The user's balance of one asset as the wallet API shows it (zeros when the asset is absent). */
export async function balanceOf(app: RunningApp, user: TestUser, asset: string): Promise<{ available: string; locked: string }> {
  const res = await request(app.url).get('/api/wallet/balance').set(user.auth).expect(200);
  const row = (res.body.wallet.balances as { asset: string; available: string; locked: string }[]).find((b) => b.asset === asset);
  return row ? { available: row.available, locked: row.locked } : { available: '0', locked: '0' };
}

/** `npm run reconcile` against the suite's database: resolves with its exit code and output. */
export async function reconcile(app: RunningApp): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [RECONCILE], { env: { PATH: process.env.PATH ?? '', ...app.env } });
    return { code: 0, output: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/**
 * Gives an existing user the admin role (there is no API to appoint a second
 * admin yet) and signs them in again, so the new token carries the role.
 */
export async function promoteToAdmin(app: RunningApp, db: TestDatabase, user: TestUser): Promise<TestUser> {
  await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
  const login = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password });
  if (login.status !== 200) throw new Error(`re-login of ${user.email}: ${login.status} ${JSON.stringify(login.body)}`);
  return { ...user, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken, auth: { Authorization: `Bearer ${login.body.accessToken}` } };
}
