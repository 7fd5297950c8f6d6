import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ConvertQuoteStatus = 'open' | 'settled';

/**
 * `convert_quotes`: a quote to swap `give_amount` of `from_asset` (fee included, the fee in that asset) for
 * `receive_amount` of `to_asset`, settleable until `expires_at`; once settled, the record of the conversion.
 * Owned by convert (ConvertRepository).
 */
@Entity('convert_quotes')
export class ConvertQuoteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'from_asset', type: 'varchar', length: 16 }) fromAsset: string;
  @Column({ name: 'to_asset', type: 'varchar', length: 16 }) toAsset: string;
  @Column({ name: 'give_amount', type: 'numeric', precision: 38, scale: 18 }) giveAmount: string;
  @Column({ name: 'fee', type: 'numeric', precision: 38, scale: 18 }) fee: string;
  @Column({ name: 'fee_usd', type: 'numeric', precision: 38, scale: 18 }) feeUsd: string;
  @Column({ name: 'receive_amount', type: 'numeric', precision: 38, scale: 18 }) receiveAmount: string;
  @Column({ name: 'from_price', type: 'numeric', precision: 38, scale: 18 }) fromPrice: string;
  @Column({ name: 'to_price', type: 'numeric', precision: 38, scale: 18 }) toPrice: string;
  @Column({ name: 'status', type: 'varchar', length: 16, default: 'open' }) status: ConvertQuoteStatus;
  @Column({ name: 'journal_id', type: 'uuid', nullable: true }) journalId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true }) settledAt: Date | null;
}
