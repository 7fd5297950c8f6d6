import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A closed account: when. Written by `erasePersonalData` (closure, or its replay after a restore). */
@Entity('account_closures')
export class AccountClosureEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'closed_at', type: 'timestamptz' })
  closedAt: Date;
}
