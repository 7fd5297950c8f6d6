import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { PAYOUT_WEBHOOK_PATH } from '../wallet/payments/ipn-delivery';
import { signIpn } from '../wallet/payments/ipn-signature';
import { readSandboxPayout, sandboxDir, sandboxPayoutIpn, settleSandboxPayout } from '../wallet/payments/sandbox.provider';

/**
 * `npm run sandbox:payout -- <withdrawalId> [finished|failed]`: settles a sandbox payout (PAYOUTS_AUTOMATIC=true
 * with the sandbox provider) the way NOWPayments would once it sent or gave up on it: its status (FINISHED with a
 * transaction hash in its chain's format, or FAILED) and the signed status IPN to the running server's payout
 * webhook (APP_URL). Development only, with the sandbox provider; nothing is ever sent.
 */
async function main(): Promise<void> {
  const [withdrawalId, outcome = 'finished'] = process.argv.slice(2);
  const config = currentConfig();
  if (!withdrawalId || !['finished', 'failed'].includes(outcome)) throw new Error('usage: npm run sandbox:payout -- <withdrawalId> [finished|failed]');
  if (config.profile === 'production' || config.paymentProvider !== 'sandbox')
    throw new Error('sandbox:payout works only with PAYMENT_PROVIDER=sandbox outside production');
  const payout = readSandboxPayout(config.dataDir, withdrawalId);
  if (!payout)
    throw new Error(`no sandbox payout for withdrawal ${withdrawalId} under ${sandboxDir(config.dataDir)} (is PAYOUTS_AUTOMATIC=true, and was it approved?)`);
  if (payout.status === 'CREATING') throw new Error(`the payout of ${withdrawalId} was never verified: the server retries it, try again shortly`);
  const secretFile = join(sandboxDir(config.dataDir), 'ipn-secret');
  const secret = config.nowpaymentsIpnSecret ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
  if (!secret) throw new Error('no IPN secret: set NOWPAYMENTS_IPN_SECRET or start the server first');
  const settled = settleSandboxPayout(config.dataDir, payout, outcome === 'finished' ? 'FINISHED' : 'FAILED');
  const body = sandboxPayoutIpn(settled);
  const res = await fetch(`${config.appUrl.replace(/\/+$/, '')}${PAYOUT_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, secret) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  process.stdout.write(
    `webhook answered ${res.status} for withdrawal ${withdrawalId} (${settled.status}${settled.hash ? ` ${settled.hash}` : ''}): ${await res.text()}\n`,
  );
  if (res.status >= 300) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `sandbox:payout: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
