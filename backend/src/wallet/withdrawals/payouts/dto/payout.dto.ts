import { ApiProperty } from '@nestjs/swagger';
import { MANUAL_REASONS, type ManualReason, PAYOUT_STATES, type PayoutState } from '../payout-state';

/** What the payout webhook did with a status (its answer). */
export const PAYOUT_OUTCOMES = ['recorded', 'finished', 'failed', 'duplicate', 'unknown', 'mismatch', 'incomplete', 'late'] as const;
export type PayoutOutcome = (typeof PAYOUT_OUTCOMES)[number];

export class PayoutIpnAckDto {
  @ApiProperty({ example: true })
  received: true;

  @ApiProperty({
    enum: PAYOUT_OUTCOMES,
    enumName: 'PayoutIpnOutcome',
    description:
      'What the status did: recorded (under way), finished (the withdrawal completed with the hash), failed (its hold released), duplicate, unknown (no payout of ours), ' +
      'late (contradicts a settled payout: nothing changed, operators told)',
  })
  outcome: PayoutOutcome;
}

/** A withdrawal's payout at the provider, as the back office sees it. */
export class WithdrawalPayoutDto {
  @ApiProperty({
    enum: PAYOUT_STATES,
    enumName: 'WithdrawalPayoutStatus',
    description:
      'sending (planned; being sent), created (the provider holds it, not verified yet), processing (verified: the provider is sending it), finished (sent: the withdrawal is ' +
      'completed with its hash), failed (not sent: the hold was released), manual (an operator sends it: see manualReason). While sending, created or processing the ' +
      'withdrawal can be neither completed nor rejected by hand (409): POST /api/admin/withdrawals/:id/payout/resolve checks it with the provider',
  })
  status: PayoutState;

  @ApiProperty({
    enum: MANUAL_REASONS,
    enumName: 'PayoutManualReason',
    nullable: true,
    description:
      'Why an operator sends it (status manual): over_withdrawal_cap (worth more than PAYOUT_AUTO_MAX_USD), over_daily_cap (PAYOUT_AUTO_DAILY_USD of automatic payouts in ' +
      '24 hours reached), no_payout_currency (a network the provider does not pay out on), provider_refused (the provider refused to create it), provider_mismatch (the ' +
      'provider holds another payout than asked under this withdrawal: it was never verified), recent_adjustment (its user was credited by a ledger adjustment within ' +
      'PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS, or ever by the approving admin), provider_failed (an operator checked it with the provider: FAILED or REJECTED there), ' +
      'not_at_provider (an operator checked it with the provider: it holds no such payout); null otherwise',
  })
  manualReason: ManualReason | null;

  @ApiProperty({ example: 'nowpayments', description: 'The payment provider' })
  provider: string;

  @ApiProperty({ type: String, nullable: true, example: 'usdttrc20', description: "The provider's currency code it is sent in" })
  currency: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SENDING',
    description: 'The last status the provider reported (CREATING, WAITING, PROCESSING, SENDING, FINISHED, FAILED, REJECTED)',
  })
  providerStatus: string | null;

  @ApiProperty({ type: String, nullable: true, example: '5000000713', description: "The provider's id of the payout" })
  providerPayoutId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The last error of an attempt, or why the provider refused or failed it' })
  error: string | null;

  @ApiProperty({ example: 1, description: 'Attempts to send it so far' })
  attempts: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
