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
}
