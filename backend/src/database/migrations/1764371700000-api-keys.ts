import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scoped API keys (API.md "API keys"): Ed25519 public keys only (the private key never reaches us), the scopes
 * (`read`, `trade`, `withdraw`), an optional IP allowlist (CIDR blocks as text) and expiry, when and from where it was
 * last used, and when it was revoked and why. Read by primary key on every request signed with the key, so a revocation
 * holds on every instance at once. Additive only: code that predates it never reads this table.
 */
export class ApiKeys1764371700000 implements MigrationInterface {
  name = 'ApiKeys1764371700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(64) NOT NULL,
        public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'trade', 'withdraw']::text[]),
        ip_allowlist text[] NOT NULL DEFAULT '{}',
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        last_used_ip varchar(64),
        revoked_at timestamptz,
        revoked_reason varchar(32)
      )`);
    await q.query(`CREATE INDEX api_keys_user_created ON api_keys (user_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
