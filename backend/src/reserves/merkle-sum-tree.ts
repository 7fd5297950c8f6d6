import { createHash } from 'node:crypto';

/**
 * The Merkle sum tree of a proof-of-reserves snapshot (ARCHITECTURE.md "Proof of reserves"; the reference is
 * `scripts/verify-reserves-proof.mjs`, which the unit tests run against the trees built here).
 *
 * One tree per snapshot over every user, each leaf a vector of balances (one per asset, in the snapshot's sorted asset
 * list) in units of 10^-18 of the asset, bound to its owner's account id (the user id, which the owner sees) and a
 * random nonce; every node carries the per-asset sums of its leaves, and hashes its children's hashes and sums, so no
 * node can be given sums its subtree does not have. Version 2 of the proof (this one) hashes the account id into the
 * leaf, so no leaf can stand for two users with the same balances; version 1 (snapshots published before) did not.
 * Only version 2 trees are built; version 1 proofs are still handed out for the older snapshots and verified.
 */

export const PROOF_VERSION = 2;
export const PROOF_FORMAT = 'cryptovault-por-proof/v2';
/** The format of proofs of snapshots taken before leaves named their account (`reserve_snapshots.proof_version` 1). */
export const PROOF_FORMAT_V1 = 'cryptovault-por-proof/v1';
export type ProofVersion = 1 | 2;
/** The ledger's scale (balances are numeric(38, 18)): every balance is a whole number of these units, for every asset. */
export const UNIT_DECIMALS = 18;
const LEAF_TAG = 'CryptoVault PoR leaf v2';
const NODE_TAG = 'CryptoVault PoR node v1';
const EMPTY_TAG = 'CryptoVault PoR empty v1';
const MAX = (1n << 256n) - 1n;
const SYMBOL = /^[A-Z0-9]{1,16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TreeNode {
  hash: Buffer;
  sums: bigint[];
}

export interface LeafInput<K> {
  /** Whose leaf, for the caller (the service: the user id). */
  key: K;
  /** The owner's account id (the user id, a lower-case UUID): hashed into the leaf, named in the proof. */
  account: string;
  /** 32 random bytes, new per snapshot: the leaf's id, shown only to its owner. */
  nonce: Buffer;
  /** One balance per asset of the snapshot, in units; never negative. */
  balances: bigint[];
}

export interface PathStep {
  /** Where the sibling sits. */
  side: 'left' | 'right';
  hash: string;
  sums: string[];
}

/** What a user downloads: exactly what `verify-reserves-proof.mjs` reads. `leaf.account`: version 2 only. */
export interface InclusionProof {
  format: typeof PROOF_FORMAT | typeof PROOF_FORMAT_V1;
  version: ProofVersion;
  snapshotId: string;
  takenAt: string;
  unitDecimals: number;
  assets: string[];
  leaf: { account?: string; nonce: string; balances: string[] };
  path: PathStep[];
  root: { hash: string; sums: string[] };
}

export interface BuiltTree<K> {
  root: TreeNode;
  /** Per leaf, in tree order: its position and the path from it to the root. */
  leaves: { key: K; account: string; index: number; nonce: Buffer; balances: bigint[]; path: PathStep[] }[];
}

const u256 = (n: bigint): Buffer => {
  if (n < 0n || n > MAX) throw new RangeError(`an amount of the tree must be a whole number from 0 to 2^256 − 1 (got ${n})`);
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
};
const uuidBytes = (id: string): Buffer => Buffer.from(id.replaceAll('-', ''), 'hex');
const tag = (t: string): Buffer => Buffer.concat([Buffer.from(t, 'ascii'), Buffer.from([0])]);
const sha256 = (parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * SHA-256("CryptoVault PoR leaf v2" 0x00 ‖ snapshot id (16 bytes) ‖ account id (16 bytes) ‖ nonce (32 bytes) ‖ asset
 * count (4 bytes, big-endian) ‖ per asset: symbol length (1 byte) ‖ symbol (ASCII) ‖ balance (32 bytes)).
 */
export function leafHash(snapshotId: string, assets: readonly string[], account: string, nonce: Buffer, balances: readonly bigint[]): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(assets.length);
  const parts = [tag(LEAF_TAG), uuidBytes(snapshotId), uuidBytes(account), nonce, count];
  assets.forEach((symbol, i) => parts.push(Buffer.from([symbol.length]), Buffer.from(symbol, 'ascii'), u256(balances[i])));
  return sha256(parts);
}

export function nodeHash(left: TreeNode, right: TreeNode): Buffer {
  return sha256([tag(NODE_TAG), left.hash, right.hash, ...left.sums.map(u256), ...right.sums.map(u256)]);
}

/** The padding of an odd level: zero sums, and a hash no leaf or node can have (its own tag). */
export function emptyNode(snapshotId: string, assetCount: number): TreeNode {
  return { hash: sha256([tag(EMPTY_TAG), uuidBytes(snapshotId)]), sums: new Array<bigint>(assetCount).fill(0n) };
}

/**
 * Builds the tree over `leaves` in the order given (the caller orders them by nonce, so a position says nothing of
 * who a leaf is). Each level of odd length (but the root's) gets the empty node as its last; no leaves: the root is
 * the empty node. Throws on a negative or oversized balance, a balance vector of the wrong length, a bad asset list,
 * an account id that is not a lower-case UUID, an account twice, or a leaf hash twice (one leaf, one user).
 */
export function buildTree<K>(snapshotId: string, assets: readonly string[], leaves: readonly LeafInput<K>[]): BuiltTree<K> {
  assets.forEach((a, i) => {
    if (!SYMBOL.test(a) || (i > 0 && !(assets[i - 1] < a))) throw new Error(`the asset list must be sorted symbols, once each (${assets.join(',')})`);
  });
  const accounts = new Set<string>();
  const hashes = new Set<string>();
  let level: TreeNode[] = leaves.map((l) => {
    if (l.balances.length !== assets.length) throw new Error('a leaf must hold one balance per asset');
    if (l.nonce.length !== 32) throw new Error('a leaf nonce is 32 bytes');
    if (!UUID.test(l.account)) throw new Error(`a leaf's account id must be a lower-case UUID (got ${JSON.stringify(l.account).slice(0, 60)})`);
    if (accounts.has(l.account)) throw new Error(`the account ${l.account} has a leaf twice`);
    accounts.add(l.account);
    const hash = leafHash(snapshotId, assets, l.account, l.nonce, l.balances);
    if (hashes.has(hash.toString('hex'))) throw new Error(`two leaves hash the same (${hash.toString('hex')}): a leaf is one user's, never twice`);
    hashes.add(hash.toString('hex'));
    return { hash, sums: [...l.balances] };
  });
  const empty = emptyNode(snapshotId, assets.length);
  const out = leaves.map((l, index) => ({ key: l.key, account: l.account, index, nonce: l.nonce, balances: [...l.balances], path: [] as PathStep[] }));
  if (level.length === 0) return { root: empty, leaves: out };
  // position of each leaf at the current level
  const at = out.map((_, i) => i);
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(empty);
    out.forEach((leaf, i) => {
      const p = at[i];
      const sibling = level[p ^ 1];
      leaf.path.push({ side: p % 2 === 0 ? 'right' : 'left', hash: sibling.hash.toString('hex'), sums: sibling.sums.map(String) });
      at[i] = p >> 1;
    });
    const next: TreeNode[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const [left, right] = [level[i], level[i + 1]];
      const sums = left.sums.map((s, j) => s + right.sums[j]);
      next.push({ hash: nodeHash(left, right), sums });
    }
    level = next;
  }
  return { root: level[0], leaves: out };
}

/**
 * A leaf's proof in the downloadable shape: version 2 names the leaf's account; a leaf of a version 1 snapshot
 * (`account` left out) gives a version 1 proof, which names none (its hash never covered one).
 */
export function toProof(
  snapshot: { id: string; takenAt: string; assets: readonly string[]; root: { hash: string; sums: readonly string[] } },
  leaf: { account?: string; nonce: string; balances: readonly string[]; path: readonly PathStep[] },
): InclusionProof {
  const v2 = leaf.account !== undefined;
  return {
    format: v2 ? PROOF_FORMAT : PROOF_FORMAT_V1,
    version: v2 ? 2 : 1,
    snapshotId: snapshot.id,
    takenAt: snapshot.takenAt,
    unitDecimals: UNIT_DECIMALS,
    assets: [...snapshot.assets],
    leaf: v2 ? { account: leaf.account, nonce: leaf.nonce, balances: [...leaf.balances] } : { nonce: leaf.nonce, balances: [...leaf.balances] },
    path: leaf.path.map((s) => ({ side: s.side, hash: s.hash, sums: [...s.sums] })),
    root: { hash: snapshot.root.hash, sums: [...snapshot.root.sums] },
  };
}

/** A ledger amount (a decimal string, at most 18 decimals, never negative) as a whole number of 10^-18 units. */
export function toUnits(amount: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not a non-negative amount of at most ${UNIT_DECIMALS} decimals: ${amount}`);
  return BigInt(m[1] + (m[2] ?? '').padEnd(UNIT_DECIMALS, '0'));
}

/** Units as a decimal string of the asset (trailing zeros trimmed, at least the whole part). */
export function fromUnits(units: bigint): string {
  const digits = units.toString().padStart(UNIT_DECIMALS + 1, '0');
  const whole = digits.slice(0, digits.length - UNIT_DECIMALS);
  const fraction = digits.slice(digits.length - UNIT_DECIMALS).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
