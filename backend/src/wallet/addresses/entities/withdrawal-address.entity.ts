import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A saved withdrawal address (the address book): usable once confirmed by the
 * emailed link and past `usableFrom`; removed ones stay for the history.
 */
@Entity('withdrawal_addresses')
export class WithdrawalAddressEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'label', type: 'varchar', length: 64 }) label: string;
  @Column({ name: 'asset', type: 'varchar', length: 16 }) asset: string;
  @Column({ name: 'network', type: 'varchar', length: 32 }) network: string;
  @Column({ name: 'address', type: 'varchar', length: 128 }) address: string;
  /** SHA-256 of the emailed confirmation token; cleared once confirmed or removed. */
  @Column({ name: 'confirm_token_hash', type: 'varchar', length: 64, nullable: true }) confirmTokenHash: string | null;
  @Column({ name: 'confirm_expires_at', type: 'timestamptz', nullable: true }) confirmExpiresAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  /** Confirmation plus ADDRESS_HOLD_HOURS: the first moment a withdrawal may go there. */
  @Column({ name: 'usable_from', type: 'timestamptz', nullable: true }) usableFrom: Date | null;
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true }) removedAt: Date | null;
}

/** A user's allowlist lock: no address may be added while it is on; turning it off takes effect at `unlocksAt`. */
@Entity('withdrawal_address_locks')
export class WithdrawalAddressLockEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'locked_at', type: 'timestamptz' }) lockedAt: Date;
  @Column({ name: 'unlocks_at', type: 'timestamptz', nullable: true }) unlocksAt: Date | null;
}
