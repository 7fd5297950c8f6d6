import { dec } from '../../common/money/decimal';
import { payoutStatusOf, type ProviderPayout } from './payment-provider';

/** Provider ids are numeric strings (`5000000191`); ours are UUIDs. */
const PROVIDER_ID = /^\d{1,30}$/;
const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;
/** A transaction hash as a chain writes it: letters and digits, optionally after 0x (the admin form's rule). */
export const TX_HASH = /^(0x)?[0-9A-Za-z]{16,126}$/;

function idOf(v: unknown): string | undefined {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : undefined;
  return s !== undefined && PROVIDER_ID.test(s) ? s : undefined;
}

function decimalOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return dec(v).toFixed();
  if (typeof v === 'string' && DECIMAL.test(v)) return dec(v).toFixed();
  return undefined;
}

const textOf = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);

/**
 * Reads one withdrawal of a NOWPayments payout batch, as the payouts API answers it (`POST /v1/payout`'s
 * `withdrawals[]`, `GET /v1/payout/:id`, `GET /v1/payout`'s list) and as a payout status IPN carries it: `id`,
 * `batch_withdrawal_id`, `status` (CREATING, WAITING, PROCESSING, SENDING, FINISHED, FAILED, REJECTED; any case),
 * `currency`, `amount` (a number or a decimal string), `address`, `hash`, `error`, `unique_external_id`,
 * `created_at`. `batchId` stands in for a missing `batch_withdrawal_id` (the create answer carries it on the batch).
 * Anything malformed is listed, field first, instead.
 */
export function readPayoutObject(raw: unknown, batchId?: string): { ok: true; payout: ProviderPayout } | { ok: false; problems: string[] } {
  const b = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const payoutId = idOf(b.id);
  if (!payoutId) problems.push('id is missing or not numeric');
  const batch = idOf(b.batch_withdrawal_id) ?? (batchId !== undefined ? idOf(batchId) : undefined);
  if (!batch) problems.push('batch_withdrawal_id is missing or not numeric');
  const status = payoutStatusOf(b.status);
  if (!status) problems.push('status is not a known payout status');
  const currency = typeof b.currency === 'string' && /^[a-z0-9]{2,20}$/i.test(b.currency) ? b.currency.toLowerCase() : undefined;
  if (!currency) problems.push('currency is missing');
  const amount = decimalOf(b.amount);
  if (amount === undefined) problems.push('amount is not a decimal');
  const address = typeof b.address === 'string' && b.address.length > 0 && b.address.length <= 128 ? b.address : undefined;
  if (!address) problems.push('address is missing');
  const hash = b.hash === undefined || b.hash === null || b.hash === '' ? null : typeof b.hash === 'string' && TX_HASH.test(b.hash) ? b.hash : undefined;
  if (hash === undefined) problems.push('hash is not a transaction hash');
  const externalId = b.unique_external_id === undefined || b.unique_external_id === null ? null : textOf(b.unique_external_id, 100);
  const created = typeof b.created_at === 'string' ? new Date(b.created_at) : null;
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    payout: {
      payoutId: payoutId!,
      batchId: batch!,
      externalId,
      status: status!,
      currency: currency!,
      amount: amount!,
      address: address!,
      hash: hash ?? null,
      error: textOf(b.error, 500),
      createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    },
  };
}
