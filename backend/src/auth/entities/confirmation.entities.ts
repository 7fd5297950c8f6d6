import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One second-factor guess for a security action (ConfirmationsService): NULL
 * outcome while it is being checked (counted as a failure meanwhile), then
 * 'failure'; successes are deleted. Owned by auth.
 */
@Entity('confirmation_attempts')
export class ConfirmationAttemptEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'session_id', type: 'uuid' }) sessionId: string;
  @Column({ name: 'action', type: 'varchar', length: 64 }) action: string;
  @Column({ name: 'outcome', type: 'varchar', length: 16, nullable: true }) outcome: 'failure' | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A lock after too many failed guesses: of one session, or (session NULL) of every session of the account. Owned by auth. */
@Entity('confirmation_locks')
export class ConfirmationLockEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'session_id', type: 'uuid', nullable: true }) sessionId: string | null;
  @Column({ name: 'failures', type: 'int' }) failures: number;
  @Column({ name: 'locked_until', type: 'timestamptz' }) lockedUntil: Date;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
