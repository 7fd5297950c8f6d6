import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ReconciliationLine, ReconciliationStatus, ReconciliationTrigger } from '../provider-reconciliation';

/** One comparison of the ledger's liabilities with the payment provider's balances. */
@Entity('provider_reconciliations')
export class ProviderReconciliationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 8 })
  trigger: ReconciliationTrigger;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ type: 'varchar', length: 8 })
  status: ReconciliationStatus;

  @Column({ type: 'jsonb' })
  lines: ReconciliationLine[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
