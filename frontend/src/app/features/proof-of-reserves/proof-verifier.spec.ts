import fixture from './testing/proof.fixture.json';
import { verifyProof } from './proof-verifier';

/** The fixture is a proof the backend built (backend/src/reserves/merkle-sum-tree.spec.ts checks it byte for byte). */
const copy = () => JSON.parse(JSON.stringify(fixture)) as typeof fixture;

describe('the in-browser proof verifier', () => {
  it('verifies a proof the backend built, against its published root, with the totals of the tree', async () => {
    const outcome = await verifyProof(copy(), fixture.root.hash);
    expect(outcome).toEqual({
      ok: true,
      root: fixture.root.hash,
      totals: fixture.root.sums.map(BigInt),
    });
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
