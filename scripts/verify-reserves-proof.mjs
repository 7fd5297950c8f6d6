#!/usr/bin/env node
// CryptoVault proof of reserves: the standalone verifier of one user's inclusion proof.
//
//   node scripts/verify-reserves-proof.mjs proof.json [root-hex]
//   npx cryptovault-verify-proof proof.json [root-hex]        (in a clone, after npm install)
//
// Plain Node (20 or later), no dependencies, no server: it reads the proof you downloaded ("Download proof (JSON)" on
// the Proof of reserves page, or GET /api/proof-of-reserves/my-proof → `proof`), recomputes the Merkle sum tree's path
// from your leaf to the root and checks every sum on the way. Pass the root published on the public page
// (GET /api/proof-of-reserves → `snapshot.rootHash`) as the second argument, so that the proof is checked against what
// everyone sees, not only against the root the proof itself names.
//
// Exit code 0: "verified: …"; 1: the reason it does not verify; 2: usage.
//
// This file is the reference implementation of the tree (docs/ARCHITECTURE.md "Proof of reserves" describes it byte
// by byte): the backend's unit tests run it against the trees the backend builds, so the two cannot drift.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const PROOF_FORMAT = 'cryptovault-por-proof/v1';
const LEAF_TAG = 'CryptoVault PoR leaf v1';
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
 * The leaf hash: SHA-256("CryptoVault PoR leaf v1" 0x00 ‖ snapshot id (16 bytes) ‖ nonce (32 bytes) ‖
 * asset count (4 bytes, big-endian) ‖ per asset: symbol length (1 byte) ‖ symbol (ASCII) ‖ balance (32 bytes)).
 */
export function leafHash(snapshotId, assets, nonce, balances) {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(assets.length);
  const parts = [tag(LEAF_TAG), uuidBytes(snapshotId), nonce, count];
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

/**
 * Verifies a proof (the parsed JSON) and, when given, that its root is `expectedRoot` (hex). Returns what was proven;
 * throws a ProofError with the reason otherwise.
 */
export function verifyProof(proof, expectedRoot) {
  if (!proof || typeof proof !== 'object') fail('the file does not hold a proof (a JSON object)');
  if (proof.format !== PROOF_FORMAT) fail(`unknown proof format ${JSON.stringify(proof.format)} (expected "${PROOF_FORMAT}")`);
  if (typeof proof.snapshotId !== 'string' || !UUID.test(proof.snapshotId)) fail('snapshotId is not a lower-case UUID');
  if (!Number.isInteger(proof.unitDecimals) || proof.unitDecimals < 0 || proof.unitDecimals > 36) fail('unitDecimals is not a whole number from 0 to 36');
  const assets = proof.assets;
  if (!Array.isArray(assets) || assets.length === 0 || assets.length > 256) fail('assets must list 1 to 256 asset symbols');
  assets.forEach((a, i) => {
    if (typeof a !== 'string' || !SYMBOL.test(a)) fail(`assets[${i}] is not an asset symbol`);
    if (i > 0 && !(assets[i - 1] < a)) fail('assets must be sorted and listed once each');
  });
  const leaf = proof.leaf ?? fail('the proof has no leaf');
  const nonce = hex32(leaf.nonce, 'leaf.nonce');
  const balances = sums(leaf.balances, assets.length, 'leaf.balances');
  if (!Array.isArray(proof.path) || proof.path.length > 64) fail('path must be a list of at most 64 steps');
  let node = { hash: leafHash(proof.snapshotId, assets, nonce, balances), sums: balances };
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
  return { snapshotId: proof.snapshotId, takenAt: proof.takenAt, root: root.hash, assets, balances, totals: node.sums, unitDecimals: proof.unitDecimals };
}

/** A whole number of units as a decimal string of the asset (`unitDecimals` places, trailing zeros trimmed). */
export function formatUnits(units, decimals) {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

function main(argv) {
  const [file, root] = argv;
  if (!file || argv.length > 2 || file === '--help' || file === '-h') {
    process.stderr.write('usage: node scripts/verify-reserves-proof.mjs proof.json [published-root-hex]\n');
    return 2;
  }
  let proof;
  try {
    proof = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`not verified: cannot read ${file} as JSON (${e.message})\n`);
    return 1;
  }
  try {
    const r = verifyProof(proof, root);
    const list = (values) => r.assets.map((a, i) => `${a} ${formatUnits(values[i], r.unitDecimals)}`).join(', ');
    process.stdout.write(
      `verified: your balances ${list(r.balances)} are included in root ${r.root}` +
        ` (snapshot ${r.snapshotId}${r.takenAt ? ` taken ${r.takenAt}` : ''}), whose totals are ${list(r.totals)}\n`,
    );
    if (root === undefined) process.stdout.write('compare that root with the one published at /proof-of-reserves, or pass it as the second argument\n');
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
