import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An admin's correction of a user's balance (LedgerAdjustmentsService): posted
 * at once, or pending a second admin's approval above the dual-control
 * threshold. Owned by wallet; the journal it posted is the ledger's.
 */
@Entity('ledger_adjustments')
export class LedgerAdjustmentEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'asset', type: 'varchar', length: 16 }) asset: string;
  @Column({ name: 'amount', type: 'numeric', precision: 38, scale: 18 }) amount: string;
  @Column({ name: 'usd_value', type: 'numeric', precision: 38, scale: 8 }) usdValue: string;
  @Column({ name: 'reason', type: 'varchar', length: 300 }) reason: string;
  @Column({ name: 'status', type: 'varchar', length: 16 }) status: 'pending' | 'posted' | 'rejected';
  @Column({ name: 'requested_by', type: 'uuid' }) requestedBy: string;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy: string | null;
  @Column({ name: 'rejected_by', type: 'uuid', nullable: true }) rejectedBy: string | null;
  @Column({ name: 'reject_reason', type: 'varchar', length: 300, nullable: true }) rejectReason: string | null;
  @Column({ name: 'journal_id', type: 'uuid', nullable: true }) journalId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}
