import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A scoped API key of an account (Ed25519 public key only). Owned by auth (ApiKeysRepository). */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** The raw 32-byte Ed25519 public key. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  /** `read`, `trade`, `withdraw`. */
  @Column({ type: 'text', array: true })
  scopes: string[];

  /** CIDR blocks (`203.0.113.0/24`, `2001:db8::/32`); empty: any address. */
  @Column({ name: 'ip_allowlist', type: 'text', array: true })
  ipAllowlist: string[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'last_used_ip', type: 'varchar', length: 64, nullable: true })
  lastUsedIp: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** `owner`, `freeze`, `published_key` (migration 1764372000000: its private key is published). */
  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;
}
