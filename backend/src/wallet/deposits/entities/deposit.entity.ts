import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A deposit order: USD or a crypto asset the user asked to add, paid through a payment provider. */
@Entity('deposits')
export class DepositEntity {
  /** Our order id, sent to the provider as `order_id`. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'provider_payment_id', type: 'varchar', length: 64 })
  providerPaymentId: string;

  /** The price asked at the provider, in `creditAsset`: USD, or a quantity of the asset; what we asked for, never what an IPN claims. */
  @Column({ name: 'price_amount', type: 'numeric', precision: 20, scale: 8 })
  priceAmount: string;

  /** What the deposit credits, fixed when it is created: `USD` (every deposit of earlier releases) or the crypto asset paid. */
  @Column({ name: 'credit_asset', type: 'varchar', length: 16, default: 'USD' })
  creditAsset: string;

  /** How much of `creditAsset` has been credited so far (a partly paid deposit is credited what arrived). */
  @Column({ name: 'credited_amount', type: 'numeric', precision: 38, scale: 18, default: 0 })
  creditedAmount: string;

  @Column({ name: 'pay_currency', type: 'varchar', length: 10 })
  payCurrency: string;

  @Column({ name: 'pay_amount', type: 'numeric', precision: 38, scale: 18 })
  payAmount: string;

  @Column({ name: 'pay_address', type: 'varchar', length: 128 })
  payAddress: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'credited_at', type: 'timestamptz', nullable: true })
  creditedAt: Date | null;

  @Column({ name: 'journal_id', type: 'uuid', nullable: true })
  journalId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
