import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildTree, fromUnits, type InclusionProof, type LeafInput, leafHash, toProof, toUnits } from './merkle-sum-tree';

/**
 * The tree built here is checked by the reference verifier (`scripts/verify-reserves-proof.mjs`, what users run), never
 * by a second implementation of ours: a change to either side that the other does not share fails these tests.
 */
const REPO = resolve(__dirname, '..', '..', '..');
const VERIFIER = join(REPO, 'scripts', 'verify-reserves-proof.mjs');
/** The proof the client's unit spec verifies in the browser's WebCrypto (proof-verifier.spec.ts). */
const CLIENT_FIXTURE = join(REPO, 'frontend', 'src', 'app', 'features', 'proof-of-reserves', 'testing', 'proof.fixture.json');
/** A version 1 proof (before leaves named their account), as snapshots published then still hand out: frozen, never rebuilt. */
const V1_FIXTURE = join(REPO, 'frontend', 'src', 'app', 'features', 'proof-of-reserves', 'testing', 'proof-v1.fixture.json');

const SNAPSHOT = '0f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a01';
const TAKEN_AT = '2026-01-15T00:00:00.000Z';

/** A deterministic nonce per name (tests only: the service draws 32 random bytes). */
const nonce = (name: string): Buffer => createHash('sha256').update(`nonce:${name}`).digest();
/** A deterministic account id (a user id: a UUID) per name. */
const account = (name: string): string =>
  createHash('sha256')
    .update(`account:${name}`)
    .digest('hex')
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

function proofsOf(assets: string[], users: Record<string, string[]>, snapshotId = SNAPSHOT): Map<string, InclusionProof> {
  const leaves: LeafInput<string>[] = Object.entries(users)
    .map(([key, balances]) => ({ key, account: account(key), nonce: nonce(key), balances: balances.map(toUnits) }))
    .sort((a, b) => a.nonce.compare(b.nonce));
  const tree = buildTree(snapshotId, assets, leaves);
  const root = { hash: tree.root.hash.toString('hex'), sums: tree.root.sums.map(String) };
  return new Map(
    tree.leaves.map((l) => [
      l.key,
      toProof(
        { id: snapshotId, takenAt: TAKEN_AT, assets, root },
        { account: l.account, nonce: l.nonce.toString('hex'), balances: l.balances.map(String), path: l.path },
      ),
    ]),
  );
}

interface Outcome {
  ok: boolean;
  reason?: string;
  totals?: string[];
  version?: number;
  account?: string | null;
}

/** Runs the reference verifier's `verifyProof` over every case in one Node process. */
function verifyAll(cases: { proof: unknown; root?: string; account?: string }[]): Outcome[] {
  const program = `
    import { verifyProof } from ${JSON.stringify(VERIFIER)};
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const out = JSON.parse(input).map(({ proof, root, account }) => {
      try { const r = verifyProof(proof, root, { account }); return { ok: true, totals: r.totals.map(String), version: r.version, account: r.account }; }
      catch (e) { return { ok: false, reason: e.message }; }
    });
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the verifier did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome[];
}

const verify = (proof: unknown, root?: string, accountId?: string): Outcome => verifyAll([{ proof, root, account: accountId }])[0];
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

  it('binds each leaf to its account: two users with the same balances and the same salt get different leaves', () => {
    const salt = nonce('reused');
    const balances = [toUnits('1.5'), 0n, toUnits('10')];
    const [a, b] = [account('alice'), account('bob')];
    expect(leafHash(SNAPSHOT, assets, a, salt, balances).equals(leafHash(SNAPSHOT, assets, b, salt, balances))).toBe(false);
    // Both in one tree, each with its own proof that names its own account and verifies.
    const tree = buildTree(SNAPSHOT, assets, [
      { key: 'alice', account: a, nonce: salt, balances },
      { key: 'bob', account: b, nonce: salt, balances },
    ]);
    const root = { hash: tree.root.hash.toString('hex'), sums: tree.root.sums.map(String) };
    const proofs = tree.leaves.map((l) =>
      toProof(
        { id: SNAPSHOT, takenAt: TAKEN_AT, assets, root },
        { account: l.account, nonce: l.nonce.toString('hex'), balances: l.balances.map(String), path: l.path },
      ),
    );
    expect(proofs.map((p) => p.leaf.account)).toEqual([a, b]);
    expect(
      verifyAll([
        { proof: proofs[0], account: a },
        { proof: proofs[1], account: b },
      ]),
    ).toEqual([expect.objectContaining({ ok: true, version: 2, account: a }), expect.objectContaining({ ok: true, version: 2, account: b })]);
    expect(tree.root.sums).toEqual(balances.map((x) => x * 2n));
  });

  it('refuses to build a tree with one account twice, or the same leaf twice', () => {
    const salt = nonce('x');
    const leaf = { key: 'alice', account: account('alice'), nonce: salt, balances: [1n, 2n, 3n] };
    expect(() => buildTree(SNAPSHOT, assets, [leaf, { ...leaf, key: 'alice again', nonce: nonce('y') }])).toThrow(/account .* twice/);
    expect(() => buildTree(SNAPSHOT, assets, [leaf, { ...leaf, key: 'copy' }])).toThrow(/twice/);
    expect(() => buildTree(SNAPSHOT, assets, [{ ...leaf, account: 'alice' }])).toThrow(/account id/);
  });

  it("fails a proof re-labelled to another user, and one checked against an account that is not the proof's", () => {
    const proofs = proofsOf(assets, users);
    const alice = proofs.get('alice')!;
    const relabelled = clone(alice);
    relabelled.leaf.account = account('bob');
    const [moved, asBob, asAlice, unchecked] = verifyAll([
      { proof: relabelled, account: account('bob') },
      { proof: alice, account: account('bob') },
      { proof: alice, account: account('alice').toUpperCase() },
      { proof: alice },
    ]);
    expect(moved).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead to the proof') });
    expect(asBob).toMatchObject({ ok: false, reason: `the proof is for account ${account('alice')}, not yours (${account('bob')})` });
    expect(asAlice).toMatchObject({ ok: true, account: account('alice') });
    expect(unchecked).toMatchObject({ ok: true, version: 2, account: account('alice') });
    // A version 2 proof without its account, or with a version that does not match its format, is refused.
    const anonymous = clone(alice) as unknown as { leaf: Record<string, unknown> };
    delete anonymous.leaf.account;
    expect(verify(anonymous)).toMatchObject({ ok: false, reason: expect.stringContaining('leaf.account') });
    expect(verify({ ...alice, version: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('version') });
  });

  it('still verifies a version 1 proof of an older snapshot, and says it cannot check whose it is', () => {
    const v1 = JSON.parse(readFileSync(V1_FIXTURE, 'utf8')) as InclusionProof;
    expect(v1.format).toBe('cryptovault-por-proof/v1');
    const tampered = clone(v1);
    tampered.leaf.balances[2] = '1';
    const [ok, withVersion, checked, changed] = verifyAll([
      { proof: v1, root: v1.root.hash },
      { proof: { ...v1, version: 1 } },
      { proof: v1, account: account('erin') },
      { proof: tampered },
    ]);
    expect(ok).toMatchObject({ ok: true, version: 1, account: null, totals: v1.root.sums });
    expect(withVersion).toMatchObject({ ok: true, version: 1 });
    expect(checked).toMatchObject({ ok: false, reason: expect.stringContaining('a version 1 proof does not name its account') });
    expect(changed).toMatchObject({ ok: false, reason: expect.stringContaining('does not lead to the proof') });
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
    expect(() => buildTree(SNAPSHOT, assets, [{ key: 'x', account: account('x'), nonce: nonce('x'), balances: [-1n, 0n, 0n] }])).toThrow(/0 to 2\^256/);
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
      expect(ok.stdout).toContain(`verified: the balances BTC 0.5, ETH 0, USD 100.25 of account ${account('alice')} are included in root ${proof.root.hash}`);
      // --account: the proof must be the caller's own (before or after the other arguments).
      const mine = spawnSync(process.execPath, [VERIFIER, '--account', account('alice'), good, proof.root.hash], { encoding: 'utf8' });
      expect(mine.status).toBe(0);
      expect(mine.stdout).toContain(`of account ${account('alice')} (yours)`);
      const theirs = spawnSync(process.execPath, [VERIFIER, good, proof.root.hash, '--account', account('bob')], { encoding: 'utf8' });
      expect(theirs.status).toBe(1);
      expect(theirs.stderr).toBe(`not verified: the proof is for account ${account('alice')}, not yours (${account('bob')})\n`);
      const missing = spawnSync(process.execPath, [VERIFIER, good, '--account'], { encoding: 'utf8' });
      expect(missing.status).toBe(2);
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
