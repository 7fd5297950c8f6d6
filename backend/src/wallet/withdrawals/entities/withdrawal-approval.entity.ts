import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One admin's approval of a withdrawal (two different admins for large amounts). */
@Entity('withdrawal_approvals')
export class WithdrawalApprovalEntity {
  @PrimaryColumn({ name: 'withdrawal_id', type: 'uuid' })
  withdrawalId: string;

  @PrimaryColumn({ name: 'admin_id', type: 'uuid' })
  adminId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
