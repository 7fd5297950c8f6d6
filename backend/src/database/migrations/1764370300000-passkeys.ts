import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys (WebAuthn credentials), several per account: the credential id
 * (base64url, unique across accounts), its COSE public key, the signature
 * counter last seen, the transports the browser reported, a name the owner
 * chose, when it was added and last used. Additive only: code that predates
 * it never reads this table.
 */
export class Passkeys1764370300000 implements MigrationInterface {
  name = 'Passkeys1764370300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        credential_id varchar(1024) NOT NULL,
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
        transports text[] NOT NULL DEFAULT '{}',
        name varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX passkeys_credential_id ON passkeys (credential_id)`);
    await q.query(`CREATE INDEX passkeys_user_created ON passkeys (user_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE passkeys`);
  }
}
