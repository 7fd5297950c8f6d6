import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CashOutQuoteStatus = 'open' | 'used';

/**
 * `cash_out_quotes`: a quote to cash out `usd_amount` dollars (fee included, the fee in USD) as `converted` of a
 * stablecoin at `price` (USD per unit), sent on `network` less `network_fee`; usable until `expires_at`, once: `used`
 * names the withdrawal it created. Owned by wallet (CashOutQuotesRepository).
 */
@Entity('cash_out_quotes')
export class CashOutQuoteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16 }) asset: string;
  @Column({ type: 'varchar', length: 32 }) network: string;
  @Column({ name: 'usd_amount', type: 'numeric', precision: 38, scale: 18 }) usdAmount: string;
  @Column({ type: 'numeric', precision: 38, scale: 18 }) fee: string;
  @Column({ type: 'numeric', precision: 38, scale: 18 }) price: string;
  @Column({ type: 'numeric', precision: 38, scale: 18 }) converted: string;
  @Column({ name: 'network_fee', type: 'numeric', precision: 38, scale: 18 }) networkFee: string;
  @Column({ type: 'varchar', length: 16, default: 'open' }) status: CashOutQuoteStatus;
  @Column({ name: 'withdrawal_id', type: 'uuid', nullable: true }) withdrawalId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt: Date | null;
}
