import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Bucket, EntryKind } from '../ledger.types';

/** One business event that moves money. Its entries sum to zero per asset. */
@Entity('ledger_journals')
export class LedgerJournalEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'type', type: 'varchar', length: 32 }) type: string;
  @Column({ name: 'reference', type: 'varchar', length: 200 }) reference: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId: string | null;
  @Column({ name: 'description', type: 'varchar', length: 300 }) description: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('ledger_entries')
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' }) id: string;
  @Column({ name: 'journal_id', type: 'uuid' }) journalId: string;
  @Column({ name: 'account', type: 'varchar', length: 80 }) account: string;
  @Column({ name: 'asset', type: 'varchar', length: 16 }) asset: string;
  @Column({ name: 'bucket', type: 'varchar', length: 16 }) bucket: Bucket;
  @Column({ name: 'kind', type: 'varchar', length: 16 }) kind: EntryKind;
  @Column({ name: 'amount', type: 'numeric', precision: 38, scale: 18 }) amount: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** The materialised sum of an account's entries per asset and bucket. */
@Entity('balances')
export class BalanceEntity {
  @PrimaryColumn({ name: 'account', type: 'varchar', length: 80 }) account: string;
  @PrimaryColumn({ name: 'asset', type: 'varchar', length: 16 }) asset: string;
  /** 0 for every account but the platform's, whose balance is the sum of its shards. */
  @PrimaryColumn({ name: 'shard', type: 'smallint' }) shard: number;
  @Column({ name: 'available', type: 'numeric', precision: 38, scale: 18 }) available: string;
  @Column({ name: 'locked', type: 'numeric', precision: 38, scale: 18 }) locked: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
