import fixture from './testing/proof.fixture.json';
import v1Fixture from './testing/proof-v1.fixture.json';
import { verifyProof } from './proof-verifier';

/** The fixture is a proof the backend built (backend/src/reserves/merkle-sum-tree.spec.ts checks it byte for byte). */
const copy = () => JSON.parse(JSON.stringify(fixture)) as typeof fixture;

describe('the in-browser proof verifier', () => {
  it('verifies a proof the backend built, against its published root and its account, with the totals of the tree', async () => {
    const outcome = await verifyProof(copy(), fixture.root.hash, fixture.leaf.account);
    expect(outcome).toEqual({
      ok: true,
      root: fixture.root.hash,
      totals: fixture.root.sums.map(BigInt),
      version: 2,
      account: fixture.leaf.account,
    });
  });

  it('fails a proof that is not the signed-in user’s, and one re-labelled to them', async () => {
    const someoneElse = '11111111-2222-4333-8444-555555555555';
    expect(await verifyProof(copy(), fixture.root.hash, someoneElse)).toMatchObject({
      ok: false,
      failure: 'account',
    });
    const relabelled = copy();
    relabelled.leaf.account = someoneElse;
    expect(await verifyProof(relabelled, fixture.root.hash, someoneElse)).toMatchObject({
      ok: false,
      failure: 'path',
    });
  });

  it('still verifies a version 1 proof of an older snapshot, which names no account', async () => {
    const v1 = JSON.parse(JSON.stringify(v1Fixture)) as typeof v1Fixture;
    expect(await verifyProof(v1, v1.root.hash, fixture.leaf.account)).toEqual({
      ok: true,
      root: v1.root.hash,
      totals: v1.root.sums.map(BigInt),
      version: 1,
      account: null,
    });
    v1.leaf.balances[0] = '1';
    expect(await verifyProof(v1)).toMatchObject({ ok: false, failure: 'path' });
  });

  it('fails a tampered balance, a negative sibling sum, other root totals, and another published root', async () => {
    const raised = copy();
    raised.leaf.balances[1] = (BigInt(raised.leaf.balances[1]) + 1n).toString();
    expect(await verifyProof(raised)).toMatchObject({ ok: false, failure: 'path' });

    const negative = copy();
    negative.path[0].sums[0] = '-1';
    expect(await verifyProof(negative)).toMatchObject({ ok: false, failure: 'negative' });

    const totals = copy();
    totals.root.sums[2] = '1';
    expect(await verifyProof(totals)).toMatchObject({ ok: false, failure: 'totals' });

    expect(await verifyProof(copy(), 'ab'.repeat(32))).toMatchObject({
      ok: false,
      failure: 'root',
    });
    expect(await verifyProof({ format: 'something else' })).toMatchObject({
      ok: false,
      failure: 'malformed',
    });
  });
});
