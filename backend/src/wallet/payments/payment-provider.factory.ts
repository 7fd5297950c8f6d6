import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/config.service';
import type { MarketQuotes } from '../../common/market/market-quotes';
import { NowPaymentsClient } from './nowpayments.client';
import type { PaymentProvider } from './payment-provider';
import { SandboxPaymentProvider, sandboxDir } from './sandbox.provider';

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

/** The secret IPNs are signed with. Never empty: without one, every IPN is refused. */
export class IpnSecret {
  constructor(readonly value: string | undefined) {}
}

export function createPaymentProvider(config: AppConfig, quotes: MarketQuotes | undefined): PaymentProvider {
  const v = config.values;
  if (v.paymentProvider === 'nowpayments') {
    const account =
      v.nowpaymentsPayoutEmail && v.nowpaymentsPayoutPassword && v.nowpaymentsPayout2faSecret
        ? { email: v.nowpaymentsPayoutEmail, password: v.nowpaymentsPayoutPassword, totpSecret: v.nowpaymentsPayout2faSecret }
        : undefined;
    return new NowPaymentsClient(v.nowpaymentsBaseUrl, v.nowpaymentsApiKey ?? '', 10_000, account);
  }
  return new SandboxPaymentProvider(quotes, v.dataDir);
}

/**
 * NOWPAYMENTS_IPN_SECRET when set. The sandbox signs its own IPNs, so without
 * a configured secret it uses a random one per boot (kept in
 * DATA_DIR/sandbox/ipn-secret for `npm run sandbox:pay`). With NOWPayments and no
 * secret (refused in production at boot) every IPN fails verification.
 */
export function createIpnSecret(config: AppConfig): IpnSecret {
  const v = config.values;
  if (v.nowpaymentsIpnSecret) return new IpnSecret(v.nowpaymentsIpnSecret);
  if (v.paymentProvider === 'sandbox') {
    const secret = randomBytes(32).toString('hex');
    // For `npm run sandbox:pay` on this machine (development only: production refuses the sandbox).
    try {
      mkdirSync(sandboxDir(v.dataDir), { recursive: true });
      writeFileSync(join(sandboxDir(v.dataDir), 'ipn-secret'), secret, { mode: 0o600 });
    } catch (e) {
      new Logger('Payments').warn(`could not store the sandbox IPN secret for sandbox:pay: ${(e as Error).message}`);
    }
    return new IpnSecret(secret);
  }
  new Logger('Payments').warn('NOWPAYMENTS_IPN_SECRET is not set: every NOWPayments IPN will be refused');
  return new IpnSecret(undefined);
}
