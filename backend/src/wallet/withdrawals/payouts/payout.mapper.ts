import type { WithdrawalPayoutDto } from './dto/payout.dto';
import type { PayoutRow } from './payouts.repository';

const iso = (d: Date | string): string => new Date(d).toISOString();

/** A payout row as the back office reads it (never the claim). */
export function toPayoutDto(r: PayoutRow | undefined): WithdrawalPayoutDto | null {
  if (!r) return null;
  return {
    status: r.status,
    manualReason: r.manual_reason ?? null,
    provider: r.provider,
    currency: r.currency ?? null,
    providerStatus: r.provider_status ?? null,
    providerPayoutId: r.provider_payout_id ?? null,
    error: r.error ?? null,
    attempts: Number(r.attempts),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
