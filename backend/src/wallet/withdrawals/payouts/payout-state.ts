import { dec, Dec } from '../../../common/money/decimal';
import type { PayoutStatus, ProviderPayout } from '../../payments/payment-provider';

/**
 * A withdrawal's payout, as we keep it (withdrawal_payouts.status):
 * - `sending`: planned when the withdrawal was approved, before anything was asked of the provider; the provider may
 *   or may not hold it (a sender that stopped): whoever resumes it looks it up by `unique_external_id` first;
 * - `created`: the provider holds the batch (`CREATING`), not yet verified;
 * - `processing`: verified; the provider is sending it (`WAITING`, `PROCESSING`, `SENDING`);
 * - `finished`: sent (the provider's `FINISHED`, with the hash): the withdrawal is completed;
 * - `failed`: not sent (`FAILED`, `REJECTED`): the withdrawal's hold is released;
 * - `manual`: not sent automatically; an operator sends it and completes the withdrawal with the hash.
 */
export const PAYOUT_STATES = ['sending', 'created', 'processing', 'finished', 'failed', 'manual'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** States in which the provider may be sending the money: the withdrawal can be neither completed nor rejected by hand. */
export const LIVE_PAYOUT_STATES: readonly PayoutState[] = ['sending', 'created', 'processing'];
export const isLivePayout = (state: PayoutState | null | undefined): boolean => !!state && LIVE_PAYOUT_STATES.includes(state);

/** Why a withdrawal is sent by an operator rather than automatically. */
export const MANUAL_REASONS = [
  'automation_off',
  'over_withdrawal_cap',
  'over_daily_cap',
  'no_payout_currency',
  'provider_refused',
  'provider_mismatch',
  'recent_adjustment',
  'provider_failed',
  'not_at_provider',
] as const;
export type ManualReason = (typeof MANUAL_REASONS)[number];

/** What the payout row and the withdrawal say, as a status update is checked against them. */
export interface PayoutRecord {
  withdrawalId: string;
  state: PayoutState;
  currency: string | null;
  /** The provider's payout (withdrawal) id, once known. */
  providerPayoutId: string | null;
  /** The withdrawal's amount and address: what must have been sent. */
  amount: string;
  address: string;
}

/**
 * Differences between a payout status (IPN or status check) and the withdrawal it is about; any one refuses it.
 * The payout is named by our withdrawal id (`unique_external_id`) and, once we recorded it, the provider's id; what
 * it sends must be the withdrawal's amount, in its currency, to its address.
 */
const EVM_ADDRESS = /^0x[0-9a-f]{40}$/i;

/**
 * Whether the provider's address is the withdrawal's: EVM addresses (0x + 40 hex) compare case-insensitively (the
 * EIP-55 checksum is only letter case); every other format (bech32, base58, …) exactly, as case matters there.
 */
export function sameAddress(a: string, b: string): boolean {
  if (EVM_ADDRESS.test(a) && EVM_ADDRESS.test(b)) return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export function payoutMismatches(p: ProviderPayout, r: PayoutRecord): string[] {
  const out: string[] = [];
  if (p.externalId !== null && p.externalId !== r.withdrawalId) out.push(`unique_external_id ${p.externalId.slice(0, 64)} is not this withdrawal`);
  if (r.providerPayoutId !== null && p.payoutId !== r.providerPayoutId) out.push(`id ${p.payoutId} is not this withdrawal's payout`);
  if (r.providerPayoutId === null && p.externalId === null) out.push('unique_external_id is missing');
  if (r.currency === null || p.currency !== r.currency) out.push(`currency ${p.currency} differs from the payout's ${r.currency ?? '(none)'}`);
  if (!dec(p.amount).eq(dec(r.amount))) out.push(`amount ${p.amount} differs from the withdrawal's ${dec(r.amount).toFixed()}`);
  if (!sameAddress(p.address, r.address)) out.push(`address ${p.address.slice(0, 128)} is not the withdrawal's address`);
  return out;
}

export type PayoutDecision =
  /** Record the provider's ids and status; the payout moves to `state` (created or processing). */
  | { action: 'record'; state: 'created' | 'processing' }
  /** Sent: complete the withdrawal with this hash. */
  | { action: 'finish'; hash: string }
  /** Not sent: release the withdrawal's hold. */
  | { action: 'fail' }
  /** FINISHED without a hash: refused (a withdrawal is completed only with the real transaction hash). */
  | { action: 'incomplete' }
  /** A status after the payout was settled that contradicts it (sent after it failed, failed after it was sent): changes nothing, told to operators. */
  | { action: 'late' }
  /** A repeat, or an older status than the one recorded: changes nothing. */
  | { action: 'duplicate' };

const ORDER: Record<PayoutStatus, number> = { CREATING: 0, WAITING: 1, PROCESSING: 2, SENDING: 3, FINISHED: 4, FAILED: 4, REJECTED: 4 };

/**
 * What a matching payout status does to the payout (under the withdrawal's and the payout's row locks).
 * Only FINISHED with a hash completes, only FAILED or REJECTED releases, each once: a settled payout takes no
 * further status. A status never moves a payout back (PROCESSING after SENDING is a repeat).
 */
export function decidePayout(state: PayoutState, providerStatus: string | null, p: Pick<ProviderPayout, 'status' | 'hash'>): PayoutDecision {
  if (state === 'finished' || state === 'failed') {
    const contradicts = (state === 'finished' && (p.status === 'FAILED' || p.status === 'REJECTED')) || (state === 'failed' && p.status === 'FINISHED');
    return contradicts ? { action: 'late' } : { action: 'duplicate' };
  }
  if (state === 'manual') return { action: 'late' };
  if (p.status === 'FINISHED') return p.hash ? { action: 'finish', hash: p.hash } : { action: 'incomplete' };
  if (p.status === 'FAILED' || p.status === 'REJECTED') return { action: 'fail' };
  const known = providerStatus ? ORDER[providerStatus as PayoutStatus] : undefined;
  if (known !== undefined && ORDER[p.status] <= known && state !== 'sending') return { action: 'duplicate' };
  if (p.status === 'CREATING') return state === 'sending' ? { action: 'record', state: 'created' } : { action: 'duplicate' };
  return { action: 'record', state: 'processing' };
}

/** Whether an automatic payout is planned for an approved withdrawal, or why an operator sends it. */
export type AutomationDecision = { automatic: true; currency: string } | { automatic: false; reason: ManualReason };

/**
 * The caps on automatic payouts (USD, the withdrawal's value when requested): one withdrawal worth more than
 * `maxUsd`, or one that would take the platform's automatic payouts of the last 24 hours (`sentTodayUsd`) over
 * `dailyUsd`, is sent by an operator. So is every withdrawal when automation is off, and one on a network with no
 * payout currency.
 */
export function decideAutomation(a: {
  enabled: boolean;
  currency: string | undefined;
  /** The larger of its USD value when requested and at a fresh quote now (undefined: no fresh quote, an operator sends it). */
  usdValue: Dec | undefined;
  /** Its user was credited by a ledger adjustment lately, or by the approving admin. */
  recentAdjustment?: boolean;
  maxUsd: string;
  dailyUsd: string;
  sentTodayUsd: Dec;
}): AutomationDecision {
  if (!a.enabled) return { automatic: false, reason: 'automation_off' };
  if (!a.currency) return { automatic: false, reason: 'no_payout_currency' };
  if (a.recentAdjustment) return { automatic: false, reason: 'recent_adjustment' };
  if (!a.usdValue || a.usdValue.gt(dec(a.maxUsd))) return { automatic: false, reason: 'over_withdrawal_cap' };
  if (a.sentTodayUsd.add(a.usdValue).gt(dec(a.dailyUsd))) return { automatic: false, reason: 'over_daily_cap' };
  return { automatic: true, currency: a.currency };
}
