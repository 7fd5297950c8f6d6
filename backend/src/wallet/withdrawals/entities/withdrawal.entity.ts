import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WithdrawalStatus } from '../withdrawal-state';

/** A request to send crypto out; its amount plus fee is held (locked) from request until completion or release. */
@Entity('withdrawals')
export class WithdrawalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  asset: string;

  @Column({ type: 'varchar', length: 32 })
  network: string;

  @Column({ type: 'varchar', length: 128 })
  address: string;

  /** The saved address it went to (null for withdrawals from before the address book). */
  @Column({ name: 'address_id', type: 'uuid', nullable: true })
  addressId: string | null;

  /** That address's label when the withdrawal was requested. */
  @Column({ name: 'address_label', type: 'varchar', length: 64, nullable: true })
  addressLabel: string | null;

  @Column({ type: 'numeric', precision: 38, scale: 18 })
  amount: string;

  @Column({ type: 'numeric', precision: 38, scale: 18 })
  fee: string;

  /** USD value of `amount` when requested (daily limit, dual approval). */
  @Column({ name: 'usd_value', type: 'numeric', precision: 38, scale: 8 })
  usdValue: string;

  @Column({ type: 'varchar', length: 12 })
  status: WithdrawalStatus;

  @Column({ name: 'required_approvals', type: 'smallint' })
  requiredApprovals: number;

  @Column({ name: 'tx_hash', type: 'varchar', length: 128, nullable: true })
  txHash: string | null;

  @Column({ name: 'reject_reason', type: 'varchar', length: 500, nullable: true })
  rejectReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true })
  rejectedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  /** USD for a cash-out (dollars sent as this stablecoin), null for any other withdrawal; with the dollars behind it: */
  @Column({ name: 'source_asset', type: 'varchar', length: 16, nullable: true })
  sourceAsset: string | null;

  /** Dollars debited, conversion fee included. */
  @Column({ name: 'source_amount', type: 'numeric', precision: 38, scale: 18, nullable: true })
  sourceAmount: string | null;

  /** The conversion fee, in USD (part of source_amount). */
  @Column({ name: 'source_fee', type: 'numeric', precision: 38, scale: 18, nullable: true })
  sourceFee: string | null;

  /** USD per unit of `asset`: the rate of the cash-out quote. */
  @Column({ name: 'source_price', type: 'numeric', precision: 38, scale: 18, nullable: true })
  sourcePrice: string | null;

  /** The cash-out quote it was made from (unique: one withdrawal per quote). */
  @Column({ name: 'cash_out_quote_id', type: 'uuid', nullable: true })
  cashOutQuoteId: string | null;
}
