import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PayoutState } from '../payout-state';

/** A withdrawal's automatic payout at the provider (at most one): planned, sent, verified, then finished or failed; or left to an operator. */
@Entity('withdrawal_payouts')
export class WithdrawalPayoutEntity {
  @PrimaryColumn({ name: 'withdrawal_id', type: 'uuid' })
  withdrawalId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 12 })
  status: PayoutState;

  @Column({ name: 'manual_reason', type: 'varchar', length: 32, nullable: true })
  manualReason: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  currency: string | null;

  @Column({ type: 'numeric', precision: 38, scale: 18 })
  amount: string;

  @Column({ type: 'varchar', length: 128 })
  address: string;

  @Column({ name: 'usd_value', type: 'numeric', precision: 38, scale: 8 })
  usdValue: string;

  @Column({ name: 'provider_batch_id', type: 'varchar', length: 64, nullable: true })
  providerBatchId: string | null;

  @Column({ name: 'provider_payout_id', type: 'varchar', length: 64, nullable: true })
  providerPayoutId: string | null;

  @Column({ name: 'provider_status', type: 'varchar', length: 16, nullable: true })
  providerStatus: string | null;

  @Column({ name: 'tx_hash', type: 'varchar', length: 128, nullable: true })
  txHash: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken: string | null;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** Every payout status the provider reported (IPN or status check) and what it did, refused ones included. */
@Entity('withdrawal_payout_events')
export class WithdrawalPayoutEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'withdrawal_id', type: 'uuid', nullable: true })
  withdrawalId: string | null;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'provider_payout_id', type: 'varchar', length: 64, nullable: true })
  providerPayoutId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  /** `ipn` (the signed status callback) or `api` (a status check). */
  @Column({ type: 'varchar', length: 8 })
  source: string;

  /** recorded, finished, failed, duplicate, mismatch, unknown, incomplete, late. */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
