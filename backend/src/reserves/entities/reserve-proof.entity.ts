import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PathStep } from '../merkle-sum-tree';

/** A user's leaf of a published snapshot and its path to the root (what GET /api/proof-of-reserves/my-proof answers). */
@Entity('reserve_proofs')
export class ReserveProofEntity {
  @PrimaryColumn({ name: 'snapshot_id', type: 'uuid' })
  snapshotId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'leaf_index', type: 'integer' })
  leafIndex: number;

  @Column({ type: 'varchar', length: 64 })
  nonce: string;

  @Column({ type: 'jsonb' })
  balances: string[];

  @Column({ type: 'jsonb' })
  path: PathStep[];
}
