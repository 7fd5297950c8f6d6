import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One proof-of-reserves snapshot: the Merkle sum tree's root and totals over every user's balances at `takenAt`. */
@Entity('reserve_snapshots')
export class ReserveSnapshotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 12 })
  status: 'published' | 'failed';

  @Column({ type: 'varchar', length: 8 })
  trigger: 'schedule' | 'admin';

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'taken_at', type: 'timestamptz', nullable: true })
  takenAt: Date | null;

  @Column({ name: 'root_hash', type: 'varchar', length: 64, nullable: true })
  rootHash: string | null;

  @Column({ type: 'jsonb' })
  assets: string[];

  @Column({ type: 'jsonb' })
  totals: string[];

  @Column({ name: 'leaf_count', type: 'integer' })
  leafCount: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** How the leaves are hashed: 1 (before leaves named their account) or 2 (the user id hashed into each leaf). */
  @Column({ name: 'proof_version', type: 'smallint', default: 1 })
  proofVersion: number;
}
