import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A passkey (WebAuthn credential) of an account. Owned by auth (PasskeysRepository). */
@Entity('passkeys')
export class PasskeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** base64url, as the browser reports it (`PublicKeyCredential.id`). */
  @Column({ name: 'credential_id', type: 'varchar', length: 1024 })
  credentialId: string;

  /** The COSE-encoded public key. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  /** The signature counter last accepted (bigint: a string from the driver). */
  @Column({ type: 'bigint' })
  counter: string;

  @Column({ type: 'text', array: true })
  transports: string[];

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
