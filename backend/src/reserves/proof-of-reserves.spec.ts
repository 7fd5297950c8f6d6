import { buildSnapshotTree, coverageRatio, ReconciliationMismatch, reservesOf } from './proof-of-reserves';

const A = 'user:0f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a01';
const B = 'user:1f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a02';
const SNAPSHOT = '2f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a03';

describe('proof-of-reserves snapshot', () => {
  const balances = [
    { account: A, asset: 'BTC', total: '0.500000000000000000' },
    { account: A, asset: 'USD', total: '10.250000000000000000' },
    { account: B, asset: 'USD', total: '0.000000000000000000' },
  ];

  it('gives every user account a leaf with one balance per asset of the snapshot (zero where it has no row)', () => {
    const { assets, tree } = buildSnapshotTree(SNAPSHOT, {
      balances,
      liabilities: [
        { asset: 'BTC', amount: '0.5' },
        { asset: 'USD', amount: '10.25' },
      ],
    });
    expect(assets).toEqual(['BTC', 'USD']);
    expect(tree.leaves.map((l) => [l.key, l.balances]).sort()).toEqual([
      ['0f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a01', [500000000000000000n, 10250000000000000000n]],
      ['1f8b6a52-3c1e-4d7a-9b2f-5e6d7c8b9a02', [0n, 0n]],
    ]);
    expect(tree.root.sums).toEqual([500000000000000000n, 10250000000000000000n]);
    // Each leaf names (and its hash covers) the user id the owner sees: it is theirs and no one else's.
    expect(tree.leaves.every((l) => l.account === l.key)).toBe(true);
  });

  it('fails loudly when the tree does not equal the ledger’s liabilities, by one unit or by an asset missing on either side', () => {
    const off = (liabilities: { asset: string; amount: string }[]) => () => buildSnapshotTree(SNAPSHOT, { balances, liabilities });
    expect(
      off([
        { asset: 'BTC', amount: '0.500000000000000001' },
        { asset: 'USD', amount: '10.25' },
      ]),
    ).toThrow(new ReconciliationMismatch("the tree does not equal the ledger's liabilities: BTC tree 0.5 ledger 0.500000000000000001"));
    expect(off([{ asset: 'USD', amount: '10.25' }])).toThrow(/BTC tree 0\.5 ledger 0$/);
    expect(
      off([
        { asset: 'BTC', amount: '0.5' },
        { asset: 'USD', amount: '10.25' },
        { asset: 'ETH', amount: '-1' },
      ]),
    ).toThrow(/ETH tree 0 ledger -1/);
  });

  it('refuses a negative user balance and an account that is not a user’s', () => {
    const negative = [{ account: A, asset: 'BTC', total: '-0.1' }];
    expect(() => buildSnapshotTree(SNAPSHOT, { balances: negative, liabilities: [] })).toThrow(ReconciliationMismatch);
    expect(() => buildSnapshotTree(SNAPSHOT, { balances: [{ account: 'user:admin', asset: 'BTC', total: '1' }], liabilities: [] })).toThrow(
      /not "user:<uuid>"/,
    );
  });

  it('puts reserves (held at the provider + payouts under way) over liabilities, rounded down to 4 places', () => {
    expect(reservesOf({ provider: '1.30000000', inFlight: '0.01000000' })).toBe('1.31');
    expect(reservesOf(undefined)).toBeNull();
    expect(coverageRatio('1.31', '1.25')).toBe('1.0480');
    expect(coverageRatio('2', '3')).toBe('0.6666');
    expect(coverageRatio(null, '3')).toBeNull();
    expect(coverageRatio('5', '0')).toBeNull();
  });
});
