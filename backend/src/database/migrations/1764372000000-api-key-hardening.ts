import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After a security review of API keys and proof of reserves:
 *
 * - Keys registered with a public key whose private key is published (our documentation's worked example, RFC 8032's
 *   test vectors: auth/api-keys/published-keys.ts) are revoked (`revoked_reason` 'published_key'): anyone can sign
 *   with them. New ones are refused at creation. The list here is a frozen copy, as it was when this ran.
 * - `reserve_snapshots.proof_version`: how the snapshot's leaves are hashed. 1 (every snapshot before this, and any
 *   an older release still takes during a rolling upgrade: its default) hashes the balances and the leaf's nonce; 2
 *   also the user id, so a leaf is bound to one account (ARCHITECTURE.md "Proof of reserves"). Proofs say which.
 *
 * Expand-only: an UPDATE of rows the previous release reads the same way (revoked), and a column with a default.
 */
const PUBLISHED_PUBLIC_KEYS_HEX = [
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
  '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
  'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
];

export class ApiKeyHardening1764372000000 implements MigrationInterface {
  name = 'ApiKeyHardening1764372000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE api_keys SET revoked_at = now(), revoked_reason = 'published_key'
        WHERE revoked_at IS NULL AND encode(public_key, 'hex') = ANY ($1::text[])`,
      [PUBLISHED_PUBLIC_KEYS_HEX],
    );
    await q.query(`ALTER TABLE reserve_snapshots ADD COLUMN proof_version smallint NOT NULL DEFAULT 1 CHECK (proof_version IN (1, 2))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reserve_snapshots DROP COLUMN proof_version`);
  }
}
