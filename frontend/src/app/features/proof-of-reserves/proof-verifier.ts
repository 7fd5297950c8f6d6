/**
 * The browser's verifier of a proof-of-reserves inclusion proof: a port of `scripts/verify-reserves-proof.mjs` (the
 * reference, ARCHITECTURE.md "Proof of reserves") on WebCrypto's SHA-256 and BigInt. Its unit spec verifies a proof
 * the backend's tests build (testing/proof.fixture.json, version 2) and one of an older snapshot
 * (testing/proof-v1.fixture.json, version 1), so the port cannot drift from the server's tree.
 */

/** The formats by version: 2 binds the leaf to its account (the user id), 1 (older snapshots) does not. */
export const PROOF_FORMATS: Readonly<Record<1 | 2, string>> = {
  1: 'cryptovault-por-proof/v1',
  2: 'cryptovault-por-proof/v2',
};
const LEAF_TAGS: Readonly<Record<1 | 2, string>> = {
  1: 'CryptoVault PoR leaf v1',
  2: 'CryptoVault PoR leaf v2',
};
const NODE_TAG = 'CryptoVault PoR node v1';
const MAX = (1n << 256n) - 1n;
const HEX32 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SYMBOL = /^[A-Z0-9]{1,16}$/;
const INTEGER = /^(0|[1-9][0-9]{0,79})$/;

/** Why a proof does not verify, as a code the page words in the reader's language. */
export type ProofFailure =
  'malformed' | 'negative' | 'overflow' | 'path' | 'totals' | 'root' | 'account';

/** `account`: whose leaf it is (version 2), null for a version 1 proof, which names none. */
export type ProofOutcome =
  | { ok: true; root: string; totals: bigint[]; version: 1 | 2; account: string | null }
  | { ok: false; failure: ProofFailure; detail: string };

class Failure extends Error {
  constructor(
    readonly failure: ProofFailure,
    detail: string,
  ) {
    super(detail);
  }
}

const fail = (failure: ProofFailure, detail: string): never => {
  throw new Failure(failure, detail);
};

function amount(v: unknown, where: string): bigint {
  if (typeof v !== 'string') return fail('malformed', `${where} is not a string of digits`);
  if (v.startsWith('-')) return fail('negative', `${where} is negative`);
  if (!INTEGER.test(v)) return fail('malformed', `${where} is not a whole number`);
  const n = BigInt(v);
  return n > MAX ? fail('overflow', `${where} is too large`) : n;
}

function sums(v: unknown, count: number, where: string): bigint[] {
  if (!Array.isArray(v) || v.length !== count)
    return fail('malformed', `${where} must list ${count} sums`);
  return v.map((x, i) => amount(x, `${where}[${i}]`));
}

function hex(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string' || !HEX32.test(v))
    return fail('malformed', `${where} is not 32 bytes of hex`);
  return fromHex(v);
}

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const tag = (t: string): Uint8Array => concat([ascii(t), new Uint8Array([0])]);
const u256 = (n: bigint): Uint8Array => fromHex(n.toString(16).padStart(64, '0'));

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(parts)));
}

interface Node {
  hash: Uint8Array;
  sums: bigint[];
}

/**
 * Verifies a proof (parsed JSON) and, when given, that its root is `expectedRoot` and that its leaf is the account
 * `expectedAccount`'s (the signed-in user's id; a version 1 proof names no account, so it is not checked). Never throws.
 */
export async function verifyProof(
  proof: unknown,
  expectedRoot?: string,
  expectedAccount?: string,
): Promise<ProofOutcome> {
  try {
    const p = proof as Record<string, unknown> | null;
    if (!p || typeof p !== 'object') return fail('malformed', 'not a proof');
    const version = p['format'] === PROOF_FORMATS[2] ? 2 : p['format'] === PROOF_FORMATS[1] ? 1 : 0;
    if (version === 0) return fail('malformed', 'unknown proof format');
    if (!(p['version'] === version || (version === 1 && p['version'] === undefined)))
      return fail('malformed', 'the version does not match the format');
    const snapshotId = p['snapshotId'];
    if (typeof snapshotId !== 'string' || !UUID.test(snapshotId))
      return fail('malformed', 'snapshotId is not a UUID');
    const assets = p['assets'];
    if (!Array.isArray(assets) || assets.length === 0 || assets.length > 256)
      return fail('malformed', 'assets must list 1 to 256 symbols');
    assets.forEach((a: unknown, i) => {
      if (typeof a !== 'string' || !SYMBOL.test(a) || (i > 0 && !((assets[i - 1] as string) < a)))
        fail('malformed', 'assets must be sorted symbols');
    });
    const symbols = assets as string[];
    const leaf = p['leaf'] as Record<string, unknown> | undefined;
    if (!leaf) return fail('malformed', 'no leaf');
    let account: string | null = null;
    if (version === 2) {
      const a = leaf['account'];
      if (typeof a !== 'string' || !UUID.test(a))
        return fail('malformed', 'leaf.account is not a UUID');
      account = a;
    } else if (leaf['account'] !== undefined) {
      return fail('malformed', 'a version 1 proof names no account');
    }
    const nonce = hex(leaf['nonce'], 'leaf.nonce');
    const balances = sums(leaf['balances'], symbols.length, 'leaf.balances');
    const path = p['path'];
    if (!Array.isArray(path) || path.length > 64)
      return fail('malformed', 'path must hold at most 64 steps');

    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, symbols.length);
    const leafParts = [
      tag(LEAF_TAGS[version]),
      fromHex(snapshotId.replaceAll('-', '')),
      ...(account ? [fromHex(account.replaceAll('-', ''))] : []),
      nonce,
      count,
    ];
    symbols.forEach((s, i) =>
      leafParts.push(new Uint8Array([s.length]), ascii(s), u256(balances[i])),
    );
    let node: Node = { hash: await sha256(leafParts), sums: balances };

    for (const [level, raw] of path.entries()) {
      const step = raw as Record<string, unknown> | null;
      if (!step || (step['side'] !== 'left' && step['side'] !== 'right'))
        return fail('malformed', `path[${level}].side`);
      const sibling: Node = {
        hash: hex(step['hash'], `path[${level}].hash`),
        sums: sums(step['sums'], symbols.length, `path[${level}].sums`),
      };
      const [left, right] = step['side'] === 'left' ? [sibling, node] : [node, sibling];
      const total = left.sums.map((s, i) => {
        const t = s + right.sums[i];
        return t > MAX ? fail('overflow', `the sums overflow at path[${level}]`) : t;
      });
      node = {
        hash: await sha256([
          tag(NODE_TAG),
          left.hash,
          right.hash,
          ...left.sums.map(u256),
          ...right.sums.map(u256),
        ]),
        sums: total,
      };
    }

    const root = p['root'] as Record<string, unknown> | undefined;
    if (!root) return fail('malformed', 'no root');
    const rootHash = toHex(hex(root['hash'], 'root.hash'));
    const rootSums = sums(root['sums'], symbols.length, 'root.sums');
    if (toHex(node.hash) !== rootHash) return fail('path', 'the path does not lead to the root');
    if (rootSums.some((s, i) => s !== node.sums[i]))
      return fail('totals', 'the root totals do not add up');
    if (expectedRoot !== undefined && expectedRoot !== rootHash)
      return fail('root', 'the proof is of another root than the published one');
    if (
      account !== null &&
      expectedAccount !== undefined &&
      account !== expectedAccount.toLowerCase()
    )
      return fail('account', `the proof is for account ${account}, not ${expectedAccount}`);
    return { ok: true, root: rootHash, totals: node.sums, version, account };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, failure: e.failure, detail: e.message };
    return { ok: false, failure: 'malformed', detail: String(e) };
  }
}
