import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An Idempotency-Key as used once by a user on one route (scope): the hash of
 * the request it came with and, once the work committed (in the same
 * transaction), the answer a retry gets. Owned by common/idempotency.
 */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ name: 'scope', type: 'varchar', length: 64 }) scope: string;
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 200 }) key: string;
  @Column({ name: 'request_hash', type: 'char', length: 64 }) requestHash: string;
  @Column({ name: 'status_code', type: 'integer', nullable: true }) statusCode: number | null;
  @Column({ name: 'response', type: 'json', nullable: true }) response: unknown;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
