import { signIpn } from './ipn-signature';

/** Our IPN webhook, as registered with the provider (`ipn_callback_url`). */
export const WEBHOOK_PATH = '/api/wallet/webhook/nowpayments';
/** Our payout status webhook, as given to the provider with each payout (`ipn_callback_url`). */
export const PAYOUT_WEBHOOK_PATH = '/api/wallet/webhook/nowpayments/payouts';

/** Posts a signed IPN to `baseUrl`'s webhook the way NOWPayments does; returns the HTTP status. */
export async function postSignedIpn(baseUrl: string, body: Record<string, unknown>, secret: string): Promise<number> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, secret) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}
