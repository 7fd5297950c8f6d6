import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AccountExportStatus } from '../account-export-rules';

/** A data export of one user ("Download my data"). Never returned as is: responses go through `toExportDto`. */
@Entity('account_exports')
export class AccountExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 8, default: 'pending' })
  status: AccountExportStatus;

  /** 0–100, written by the worker as it reads the tables. */
  @Column({ type: 'integer', default: 0 })
  progress: number;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The worker's lease: another instance takes the export up after it. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  /** The zip, while `ready`. */
  @Column({ type: 'bytea', nullable: true })
  file: Buffer | null;

  @Column({ name: 'size_bytes', type: 'integer', nullable: true })
  sizeBytes: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'downloaded_at', type: 'timestamptz', nullable: true })
  downloadedAt: Date | null;
}
