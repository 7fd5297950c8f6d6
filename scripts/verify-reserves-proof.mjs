#!/usr/bin/env node
// CryptoVault proof of reserves: the standalone verifier of one user's inclusion proof.
//
//   node scripts/verify-reserves-proof.mjs proof.json [root-hex] [--account <your account id>]
//   npx cryptovault-verify-proof proof.json [root-hex] [--account <your account id>]   (in a clone, after npm install)
//
// Plain Node (20 or later), no dependencies, no server: it reads the proof you downloaded ("Download proof (JSON)" on
// the Proof of reserves page, or GET /api/proof-of-reserves/my-proof → `proof`), recomputes the Merkle sum tree's path
// from your leaf to the root and checks every sum on the way. Pass the root published on the public page
// (GET /api/proof-of-reserves → `snapshot.rootHash`) as the second argument, so that the proof is checked against what
// everyone sees, not only against the root the proof itself names. Pass your account id (your user id, shown on the
// Proof of reserves page) as --account, so that the proof is checked to be your own leaf: a version 2 proof names the
// account its leaf belongs to and the leaf's hash covers it, so a leaf cannot be handed to two users.
//
// Versions: 2 (`"format": "cryptovault-por-proof/v2"`, `"version": 2`) hashes the account id into the leaf; 1
// (`"format": "cryptovault-por-proof/v1"`, snapshots published before that) does not, so it verifies the balances
// but cannot show whose leaf it is (--account then refuses it).
//
// Exit code 0: "verified: …"; 1: the reason it does not verify; 2: usage.
//
// This file is the reference implementation of the tree (docs/ARCHITECTURE.md "Proof of reserves" describes it byte
// by byte): the backend's unit tests run it against the trees the backend builds, so the two cannot drift.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const PROOF_FORMATS = { 1: 'cryptovault-por-proof/v1', 2: 'cryptovault-por-proof/v2' };
export const PROOF_FORMAT = PROOF_FORMATS[2];
const LEAF_TAGS = { 1: 'CryptoVault PoR leaf v1', 2: 'CryptoVault PoR leaf v2' };
const NODE_TAG = 'CryptoVault PoR node v1';
/** Every amount is a non-negative integer below 2^256 (32 bytes, big-endian). */
const MAX = (1n << 256n) - 1n;
const HEX32 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SYMBOL = /^[A-Z0-9]{1,16}$/;
const INTEGER = /^(0|[1-9][0-9]{0,79})$/;

class ProofError extends Error {}

const fail = (reason) => {
  throw new ProofError(reason);
};

/** A non-negative integer amount (decimal digits, no sign, no leading zeros) as a BigInt; refuses anything else. */
function amount(value, where) {
  if (typeof value !== 'string') fail(`${where} is not an amount written as a string of digits`);
  if (value.startsWith('-')) fail(`${where} is negative (${value}): a sum tree may hold no negative value`);
  if (!INTEGER.test(value)) fail(`${where} is not a non-negative whole number of units (${JSON.stringify(value).slice(0, 40)})`);
  const n = BigInt(value);
  if (n > MAX) fail(`${where} is too large for 32 bytes (a wrapped-around negative?)`);
  return n;
}

function sums(values, count, where) {
  if (!Array.isArray(values) || values.length !== count) fail(`${where} must list ${count} sums, one per asset`);
  return values.map((v, i) => amount(v, `${where}[${i}]`));
}

function hex32(value, where) {
  if (typeof value !== 'string' || !HEX32.test(value)) fail(`${where} is not 32 bytes of lower-case hex`);
  return Buffer.from(value, 'hex');
}

const u256 = (n) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
const uuidBytes = (id) => Buffer.from(id.replaceAll('-', ''), 'hex');
const tag = (t) => Buffer.concat([Buffer.from(t, 'ascii'), Buffer.from([0])]);
const sha256 = (parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * The leaf hash. Version 2: SHA-256("CryptoVault PoR leaf v2" 0x00 ‖ snapshot id (16 bytes) ‖ account id (16 bytes) ‖
 * nonce (32 bytes) ‖ asset count (4 bytes, big-endian) ‖ per asset: symbol length (1 byte) ‖ symbol (ASCII) ‖ balance
 * (32 bytes)). Version 1: the same without the account id, under "CryptoVault PoR leaf v1" (`account` null).
 */
export function leafHash(version, snapshotId, account, assets, nonce, balances) {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(assets.length);
  const parts = [tag(LEAF_TAGS[version]), uuidBytes(snapshotId), ...(version >= 2 ? [uuidBytes(account)] : []), nonce, count];
  assets.forEach((symbol, i) => parts.push(Buffer.from([symbol.length]), Buffer.from(symbol, 'ascii'), u256(balances[i])));
  return sha256(parts);
}

/** An inner node: SHA-256("CryptoVault PoR node v1" 0x00 ‖ left hash ‖ right hash ‖ left sums ‖ right sums), sums 32 bytes each. */
export function nodeHash(left, right) {
  return sha256([tag(NODE_TAG), left.hash, right.hash, ...left.sums.map(u256), ...right.sums.map(u256)]);
}

/** Adds two sum vectors; a total of 2^256 or more is refused (it could only be a wrapped-around negative). */
function add(a, b, where) {
  return a.map((x, i) => {
    const s = x + b[i];
    if (s > MAX) fail(`the sums overflow 32 bytes at ${where}`);
    return s;
  });
}

/** The proof's version from its format (and its `version` field, which version 1 proofs may leave out). */
function versionOf(proof) {
  const version = Number(Object.keys(PROOF_FORMATS).find((v) => PROOF_FORMATS[v] === proof.format));
  if (!version)
    fail(
      `unknown proof format ${JSON.stringify(proof.format)} (expected one of ${Object.values(PROOF_FORMATS)
        .map((f) => `"${f}"`)
        .join(', ')})`,
    );
  if (!(proof.version === version || (version === 1 && proof.version === undefined))) {
    fail(`version ${JSON.stringify(proof.version)} does not match the format "${proof.format}" (version ${version})`);
  }
  return version;
}

/**
 * Verifies a proof (the parsed JSON) and, when given, that its root is `expectedRoot` (hex) and that it is the leaf of
 * `options.account` (an account id: the user id). Returns what was proven; throws a ProofError with the reason otherwise.
 */
export function verifyProof(proof, expectedRoot, options = {}) {
  if (!proof || typeof proof !== 'object') fail('the file does not hold a proof (a JSON object)');
  const version = versionOf(proof);
  if (typeof proof.snapshotId !== 'string' || !UUID.test(proof.snapshotId)) fail('snapshotId is not a lower-case UUID');
  if (!Number.isInteger(proof.unitDecimals) || proof.unitDecimals < 0 || proof.unitDecimals > 36) fail('unitDecimals is not a whole number from 0 to 36');
  const assets = proof.assets;
  if (!Array.isArray(assets) || assets.length === 0 || assets.length > 256) fail('assets must list 1 to 256 asset symbols');
  assets.forEach((a, i) => {
    if (typeof a !== 'string' || !SYMBOL.test(a)) fail(`assets[${i}] is not an asset symbol`);
    if (i > 0 && !(assets[i - 1] < a)) fail('assets must be sorted and listed once each');
  });
  const leaf = proof.leaf ?? fail('the proof has no leaf');
  let account = null;
  if (version >= 2) {
    if (typeof leaf.account !== 'string' || !UUID.test(leaf.account)) fail('leaf.account is not a lower-case UUID (the account the leaf belongs to)');
    account = leaf.account;
  } else if (leaf.account !== undefined) {
    fail('a version 1 proof names no account (leaf.account): its leaf hash never covered one');
  }
  if (options.account !== undefined && options.account !== null) {
    const mine = String(options.account).trim().toLowerCase();
    if (!UUID.test(mine)) fail('the account given is not an account id (a UUID such as 0f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a01)');
    if (account === null) fail('a version 1 proof does not name its account, so it cannot be checked to be yours: verify it without --account');
    if (account !== mine) fail(`the proof is for account ${account}, not yours (${mine})`);
  }
  const nonce = hex32(leaf.nonce, 'leaf.nonce');
  const balances = sums(leaf.balances, assets.length, 'leaf.balances');
  if (!Array.isArray(proof.path) || proof.path.length > 64) fail('path must be a list of at most 64 steps');
  let node = { hash: leafHash(version, proof.snapshotId, account, assets, nonce, balances), sums: balances };
  proof.path.forEach((step, level) => {
    const where = `path[${level}]`;
    if (!step || (step.side !== 'left' && step.side !== 'right')) fail(`${where}.side must be "left" or "right"`);
    const sibling = { hash: hex32(step.hash, `${where}.hash`), sums: sums(step.sums, assets.length, `${where}.sums`) };
    const [left, right] = step.side === 'left' ? [sibling, node] : [node, sibling];
    node = { hash: nodeHash(left, right), sums: add(left.sums, right.sums, where) };
  });
  const root = proof.root ?? fail('the proof has no root');
  const rootHash = hex32(root.hash, 'root.hash');
  const rootSums = sums(root.sums, assets.length, 'root.sums');
  if (!node.hash.equals(rootHash)) fail(`the path does not lead to the proof's root: it gives ${node.hash.toString('hex')}, the proof names ${root.hash}`);
  rootSums.forEach((s, i) => {
    if (s !== node.sums[i]) fail(`the root's ${assets[i]} total does not add up: the path gives ${node.sums[i]}, the proof names ${s}`);
  });
  if (expectedRoot !== undefined) {
    const expected = String(expectedRoot).trim().toLowerCase();
    if (!HEX32.test(expected)) fail('the root given on the command line is not 64 hex digits');
    if (expected !== root.hash) fail(`the proof is for root ${root.hash}, not the published root ${expected}`);
  }
  return {
    version,
    account,
    snapshotId: proof.snapshotId,
    takenAt: proof.takenAt,
    root: root.hash,
    assets,
    balances,
    totals: node.sums,
    unitDecimals: proof.unitDecimals,
  };
}

/** A whole number of units as a decimal string of the asset (`unitDecimals` places, trailing zeros trimmed). */
export function formatUnits(units, decimals) {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** The command line: `proof.json [root] [--account <id>]`, the option anywhere; undefined when it is not that. */
function parseArgs(argv) {
  const positional = [];
  let account;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--account') {
      if (account !== undefined || i + 1 >= argv.length) return undefined;
      account = argv[++i];
    } else if (argv[i].startsWith('--account=')) {
      if (account !== undefined) return undefined;
      account = argv[i].slice('--account='.length);
    } else if (argv[i] === '--help' || argv[i] === '-h' || argv[i].startsWith('-')) {
      return undefined;
    } else {
      positional.push(argv[i]);
    }
  }
  if (positional.length < 1 || positional.length > 2) return undefined;
  return { file: positional[0], root: positional[1], account };
}

function main(argv) {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write('usage: node scripts/verify-reserves-proof.mjs proof.json [published-root-hex] [--account <your account id>]\n');
    return 2;
  }
  const { file, root, account } = args;
  let proof;
  try {
    proof = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`not verified: cannot read ${file} as JSON (${e.message})\n`);
    return 1;
  }
  try {
    const r = verifyProof(proof, root, { account });
    const list = (values) => r.assets.map((a, i) => `${a} ${formatUnits(values[i], r.unitDecimals)}`).join(', ');
    const whose = r.account ? `of account ${r.account}${account !== undefined ? ' (yours)' : ''}` : '(a version 1 proof: its leaf names no account)';
    process.stdout.write(
      `verified: the balances ${list(r.balances)} ${whose} are included in root ${r.root}` +
        ` (snapshot ${r.snapshotId}${r.takenAt ? ` taken ${r.takenAt}` : ''}), whose totals are ${list(r.totals)}\n`,
    );
    if (root === undefined) process.stdout.write('compare that root with the one published at /proof-of-reserves, or pass it as the second argument\n');
    if (r.account && account === undefined) {
      process.stdout.write('check that this is your account id (shown on the Proof of reserves page), or pass it as --account <id>\n');
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    process.stderr.write(`not verified: ${e.message}\n`);
    return 1;
  }
}

/** Run as a program (also through npx's link in node_modules/.bin), not when imported. */
function isMain() {
  try {
    return Boolean(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) process.exitCode = main(process.argv.slice(2));
