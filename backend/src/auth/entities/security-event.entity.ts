import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Something that happened to an account's security; a notified one carries a "This wasn't me" link (its hash only). */
@Entity('security_events')
export class SecurityEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** The approximate network (IPv4 /24, IPv6 /48) the event came from. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  network: string | null;

  /** A short device label ("Firefox on Windows"). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  device: string | null;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Column({ name: 'freeze_token_hash', type: 'char', length: 64, nullable: true })
  freezeTokenHash: string | null;

  @Column({ name: 'freeze_expires_at', type: 'timestamptz', nullable: true })
  freezeExpiresAt: Date | null;

  @Column({ name: 'freeze_used_at', type: 'timestamptz', nullable: true })
  freezeUsedAt: Date | null;
}
