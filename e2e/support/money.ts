import { execFile } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import type { RunningApp } from './app';
import type { TestUser } from './factories';
import { waitFor } from './wait';

const RECONCILE = join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'reconcile.js');

/** Credits (or debits) a user through the admin ledger-adjustment endpoint, as an operator would. */
export async function fund(app: RunningApp, admin: TestUser, user: { id: string }, asset: string, amount: string): Promise<string> {
  const res = await request(app.url).post('/api/admin/ledger/adjustments').set(admin.auth).send({ userId: user.id, asset, amount, reason: 'test funding' });
  if (res.status !== 201) throw new Error(`funding ${user.id} with ${amount} ${asset}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.journalId as string;
}

/** One balance line of GET /api/wallet/balance (zeros when the asset is absent). */
export async function balanceOf(app: RunningApp, user: TestUser, asset: string): Promise<{ available: string; locked: string; total: string }> {
  const res = await request(app.url).get('/api/wallet/balance').set(user.auth).expect(200);
  const line = (res.body.wallet.balances as { asset: string; available: string; locked: string; total: string }[]).find((b) => b.asset === asset);
  return line ?? { available: '0', locked: '0', total: '0' };
}

/** Waits until the instance has a fresh quote for every asset (readiness reports price age). */
export async function waitForPrices(app: RunningApp): Promise<void> {
  await waitFor(
    async () => {
      const res = await request(app.url).get('/api/health');
      const prices = res.body?.components?.prices as { ageMs: number | null; stale: boolean } | undefined;
      return prices && prices.ageMs !== null && !prices.stale;
    },
    20_000,
    'fresh prices',
  );
}

/** Runs the reconcile CLI against a database: its exit code and report. */
export function runReconcile(databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RECONCILE],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}
