import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildTree, fromUnits, type InclusionProof, type LeafInput, toProof, toUnits } from './merkle-sum-tree';

/**
 * The tree built here is checked by the reference verifier (`scripts/verify-reserves-proof.mjs`, what users run), never
 * by a second implementation of ours: a change to either side that the other does not share fails these tests.
 */
const REPO = resolve(__dirname, '..', '..', '..');
const VERIFIER = join(REPO, 'scripts', 'verify-reserves-proof.mjs');
/** The proof the client's unit spec verifies in the browser's WebCrypto (proof-verifier.spec.ts). */
const CLIENT_FIXTURE = join(REPO, 'frontend', 'src', 'app', 'features', 'proof-of-reserves', 'testing', 'proof.fixture.json');

const SNAPSHOT = '0f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a01';
const TAKEN_AT = '2026-01-15T00:00:00.000Z';

/** A deterministic nonce per name (tests only: the service draws 32 random bytes). */
const nonce = (name: string): Buffer => createHash('sha256').update(`nonce:${name}`).digest();

function proofsOf(assets: string[], users: Record<string, string[]>, snapshotId = SNAPSHOT): Map<string, InclusionProof> {
  const leaves: LeafInput<string>[] = Object.entries(users)
    .map(([key, balances]) => ({ key, nonce: nonce(key), balances: balances.map(toUnits) }))
    .sort((a, b) => a.nonce.compare(b.nonce));
  const tree = buildTree(snapshotId, assets, leaves);
  const root = { hash: tree.root.hash.toString('hex'), sums: tree.root.sums.map(String) };
  return new Map(
    tree.leaves.map((l) => [
      l.key,
      toProof({ id: snapshotId, takenAt: TAKEN_AT, assets, root }, { nonce: l.nonce.toString('hex'), balances: l.balances.map(String), path: l.path }),
    ]),
  );
}

interface Outcome {
  ok: boolean;
  reason?: string;
  totals?: string[];
}

/** Runs the reference verifier's `verifyProof` over every case in one Node process. */
function verifyAll(cases: { proof: unknown; root?: string }[]): Outcome[] {
  const program = `
    import { verifyProof } from ${JSON.stringify(VERIFIER)};
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const out = JSON.parse(input).map(({ proof, root }) => {
      try { const r = verifyProof(proof, root); return { ok: true, totals: r.totals.map(String) }; }
      catch (e) { return { ok: false, reason: e.message }; }
    });
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the verifier did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome[];
}

const verify = (proof: unknown, root?: string): Outcome => verifyAll([{ proof, root }])[0];
const clone = (p: InclusionProof): InclusionProof => JSON.parse(JSON.stringify(p)) as InclusionProof;

describe('proof-of-reserves Merkle sum tree', () => {
  const assets = ['BTC', 'ETH', 'USD'];
  const users = {
    alice: ['0.5', '0', '100.25'],
    bob: ['0.00000001', '2.000000000000000001', '0'],
    carol: ['0', '0', '0'],
    dave: ['1.25', '0.1', '999999.99'],
    erin: ['0', '3', '12.5'],
  };

  it("verifies every user's proof against the root, whose sums are the users' totals per asset exactly", () => {
    const proofs = proofsOf(assets, users);
    const outcomes = verifyAll([...proofs.values()].map((proof) => ({ proof, root: proof.root.hash })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const totals = outcomes[0].totals!.map((u) => fromUnits(BigInt(u)));
    expect(totals).toEqual(['1.75000001', '5.100000000000000001', '1000112.74']);
    // One root for everybody.
    expect(new Set([...proofs.values()].map((p) => p.root.hash)).size).toBe(1);
  });

  it('handles odd counts at every level, a single user, and many assets', () => {
    const proofs: InclusionProof[] = [];
    for (const n of [1, 2, 3, 5, 7, 8, 9, 17]) {
      const some = Object.fromEntries(Array.from({ length: n }, (_, i) => [`u${i}`, [String(i), '0.1', '3']]));
      const these = [...proofsOf(assets, some).values()];
      expect(these).toHaveLength(n);
      expect(these[0].path).toHaveLength(Math.ceil(Math.log2(n)));
      proofs.push(...these);
    }
    const many = Array.from({ length: 40 }, (_, i) => `A${String(i).padStart(2, '0')}`);
    proofs.push(...proofsOf(many, { x: many.map((_, i) => `${i}.5`), y: many.map(() => '1'), z: many.map(() => '0') }).values());
    const outcomes = verifyAll(proofs.map((proof) => ({ proof })));
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(52 + 3);
  });

  it('fails a tampered leaf: a balance raised or lowered by one unit, another nonce, another snapshot id', () => {
    const proof = proofsOf(assets, users).get('alice')!;
    const raised = clone(proof);
    raised.leaf.balances[2] = String(BigInt(raised.leaf.balances[2]) + 1n);
    const lowered = clone(proof);
    lowered.leaf.balances[0] = String(BigInt(lowered.leaf.balances[0]) - 1n);
    const otherNonce = clone(proof);
    otherNonce.leaf.nonce = nonce('mallory').toString('hex');
    const otherSnapshot = clone(proof);
    otherSnapshot.snapshotId = '11111111-2222-4333-8444-555555555555';
    const outcomes = verifyAll([raised, lowered, otherNonce, otherSnapshot].map((p) => ({ proof: p })));
    for (const o of outcomes) expect(o).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead to the proof') });
  });

  it('fails a negative value at any level: the leaf, a sibling, the root, or a wrapped-around 2^256 − 1', () => {
    const proof = proofsOf(assets, users).get('bob')!;
    const negativeLeaf = clone(proof);
    negativeLeaf.leaf.balances[1] = '-5';
    const cases = [{ proof: negativeLeaf }];
    for (let level = 0; level < proof.path.length; level++) {
      const negativeSibling = clone(proof);
      negativeSibling.path[level].sums[0] = '-1';
      cases.push({ proof: negativeSibling });
    }
    const negativeRoot = clone(proof);
    negativeRoot.root.sums[2] = '-100';
    cases.push({ proof: negativeRoot });
    const outcomes = verifyAll(cases);
    expect(outcomes).toHaveLength(proof.path.length + 2);
    for (const o of outcomes) expect(o).toMatchObject({ ok: false, reason: expect.stringContaining('negative') });

    // A "negative" written as a huge number (two's complement) makes the sums overflow: refused too.
    const wrapped = clone(proof);
    wrapped.path[0].sums[0] = ((1n << 256n) - 1n).toString();
    expect(verify(wrapped)).toMatchObject({ ok: false, reason: expect.stringContaining('overflow') });
    // And the builder refuses to put a negative balance in a tree at all.
    expect(() => buildTree(SNAPSHOT, assets, [{ key: 'x', nonce: nonce('x'), balances: [-1n, 0n, 0n] }])).toThrow(/0 to 2\^256/);
    expect(() => toUnits('-0.5')).toThrow(/non-negative/);
  });

  it('fails a removed user: their proof does not verify against a root built without them', () => {
    const before = proofsOf(assets, users);
    const { bob: _removed, ...withoutBob } = users;
    const after = proofsOf(assets, withoutBob);
    const newRoot = after.get('alice')!.root.hash;
    const [against, alone] = verifyAll([{ proof: before.get('bob')!, root: newRoot }, { proof: before.get('bob')! }]);
    expect(against).toMatchObject({ ok: false, reason: expect.stringContaining(`not the published root ${newRoot}`) });
    // Their old proof still leads to the old root, which is not the published one.
    expect(alone).toMatchObject({ ok: true });
  });

  it('fails a swapped sibling, a sibling with other sums, a root with other totals and a shortened path', () => {
    const proof = proofsOf(assets, users).get('dave')!;
    const swapped = clone(proof);
    swapped.path[0].side = swapped.path[0].side === 'left' ? 'right' : 'left';
    const otherSums = clone(proof);
    otherSums.path[1].sums[2] = String(BigInt(otherSums.path[1].sums[2]) + 1000n);
    const otherTotals = clone(proof);
    otherTotals.root.sums[0] = String(BigInt(otherTotals.root.sums[0]) + 1n);
    const shortened = clone(proof);
    shortened.path.pop();
    const [a, b, c, d] = verifyAll([swapped, otherSums, otherTotals, shortened].map((p) => ({ proof: p })));
    expect(a).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead') });
    expect(b).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead') });
    expect(c).toMatchObject({ ok: false, reason: expect.stringContaining('BTC total does not add up') });
    expect(d).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead') });
  });

  it('the command line says "verified" with the balances and root (exit 0), and why not otherwise (exit 1)', () => {
    const proof = proofsOf(assets, users).get('alice')!;
    const dir = mkdtempSync(join(tmpdir(), 'por-'));
    try {
      const good = join(dir, 'proof.json');
      writeFileSync(good, JSON.stringify(proof));
      const ok = spawnSync(process.execPath, [VERIFIER, good, proof.root.hash], { encoding: 'utf8' });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain(`verified: your balances BTC 0.5, ETH 0, USD 100.25 are included in root ${proof.root.hash}`);
      const bad = join(dir, 'tampered.json');
      writeFileSync(bad, JSON.stringify({ ...proof, leaf: { ...proof.leaf, balances: [proof.leaf.balances[0], '0', '1'] } }));
      const no = spawnSync(process.execPath, [VERIFIER, bad, proof.root.hash], { encoding: 'utf8' });
      expect(no.status).toBe(1);
      expect(no.stderr).toMatch(/^not verified: the path does not lead to the proof's root/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the proof the client verifies in the browser (the committed fixture), byte for byte', () => {
    const proof = proofsOf(assets, users).get('erin')!;
    if (process.env.UPDATE_POR_FIXTURE === '1') writeFileSync(CLIENT_FIXTURE, `${JSON.stringify(proof, null, 2)}\n`);
    expect(JSON.parse(readFileSync(CLIENT_FIXTURE, 'utf8'))).toEqual(proof);
  });
});
