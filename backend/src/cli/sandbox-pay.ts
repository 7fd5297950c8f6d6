import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { postSignedIpn } from '../wallet/payments/ipn-delivery';
import { markSandboxPaymentPaid, readSandboxPayment, sandboxDir, sandboxFinishedIpn } from '../wallet/payments/sandbox.provider';

/**
 * `npm run sandbox:pay -- <orderId>`: pays a sandbox deposit by sending its
 * signed `finished` IPN to the running server's webhook (APP_URL), exactly as
 * NOWPayments would. Development only, with the sandbox provider.
 */
async function main(): Promise<void> {
  const orderId = process.argv[2];
  const config = currentConfig();
  if (!orderId) throw new Error('usage: npm run sandbox:pay -- <orderId>');
  if (config.profile === 'production' || config.paymentProvider !== 'sandbox')
    throw new Error('sandbox:pay works only with PAYMENT_PROVIDER=sandbox outside production');
  const payment = readSandboxPayment(config.dataDir, orderId);
  if (!payment) throw new Error(`no sandbox payment for order ${orderId} under ${sandboxDir(config.dataDir)}`);
  const secretFile = join(sandboxDir(config.dataDir), 'ipn-secret');
  const secret = config.nowpaymentsIpnSecret ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
  if (!secret) throw new Error('no IPN secret: set NOWPAYMENTS_IPN_SECRET or start the server first');
  const status = await postSignedIpn(config.appUrl, sandboxFinishedIpn(payment), secret);
  if (status < 300) markSandboxPaymentPaid(config.dataDir, orderId);
  process.stdout.write(`webhook answered ${status} for order ${orderId} (${payment.priceAmount} ${(payment.priceCurrency ?? 'usd').toUpperCase()})\n`);
  if (status >= 300) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `sandbox:pay: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
