import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One change of a user's lot-matching method, in force from `effectiveFrom` until the next (FIFO before any). */
@Entity('cost_basis_methods')
export class CostBasisMethodEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'method', type: 'varchar', length: 8 }) method: string;
  @Column({ name: 'effective_from', type: 'timestamptz' }) effectiveFrom: Date;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** The USD cost basis an owner entered for a lot of unknown cost, by the journal that opened it. */
@Entity('lot_cost_entries')
export class LotCostEntryEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ name: 'journal_id', type: 'uuid' }) journalId: string;
  @Column({ name: 'cost_basis', type: 'numeric', precision: 38, scale: 18 }) costBasis: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A withdrawal its owner says went to their own wallet: its lots leave as a transfer, not a disposal. */
@Entity('withdrawal_transfer_marks')
export class WithdrawalTransferMarkEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ name: 'withdrawal_id', type: 'uuid' }) withdrawalId: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
