import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../common/auth/auth-user';

/** An account. Never returned as is: responses go through `toUserDto`. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role: Role;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  /**
   * The TOTP secret (Base32), set by /2fa/setup and kept while 2FA is on.
   * Stored in plain text: the only key we could derive an encryption key from
   * is JWT_SECRET, which is random per boot in development (and rotating it
   * must not lock everyone out of their 2FA). It is never returned after setup.
   */
  @Column({ name: 'two_factor_secret', type: 'varchar', length: 128, nullable: true })
  twoFactorSecret: string | null;

  @Column({ name: 'two_factor_enabled_at', type: 'timestamptz', nullable: true })
  twoFactorEnabledAt: Date | null;

  /** The last TOTP time step accepted: a code is never accepted twice. */
  @Column({ name: 'two_factor_last_step', type: 'bigint', nullable: true })
  twoFactorLastStep: string | null;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** Access tokens issued before this instant are refused (password reset, suspension). */
  @Column({ name: 'tokens_valid_after', type: 'timestamptz' })
  tokensValidAfter: Date;

  /** Set by a "This wasn't me" freeze: no sign-in, withdrawal or security change until a password reset by email. */
  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true })
  frozenAt: Date | null;

  /** Withdrawals are refused until this instant (a security hold after a password reset, a 2FA change, an unfreeze...). */
  @Column({ name: 'security_hold_until', type: 'timestamptz', nullable: true })
  securityHoldUntil: Date | null;

  /** Why the hold was placed (a SecurityHoldReason). */
  @Column({ name: 'security_hold_reason', type: 'varchar', length: 32, nullable: true })
  securityHoldReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
