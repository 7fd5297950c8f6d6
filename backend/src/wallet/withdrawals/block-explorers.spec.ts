import { BLOCK_EXPLORERS, BlockExplorers, explorerTemplateProblem } from './block-explorers';
import { WITHDRAWAL_NETWORKS } from './withdrawal-rules';

const explorers = new BlockExplorers();
const TXID = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
/** A Solana transaction signature: 64 bytes in base58. */
const SOL_SIGNATURE = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

describe('block explorers', () => {
  it('has an explorer for every network a withdrawal can leave on, each a safe template', () => {
    expect(Object.keys(BLOCK_EXPLORERS).sort()).toEqual([...WITHDRAWAL_NETWORKS].sort());
    for (const [network, e] of Object.entries(BLOCK_EXPLORERS)) expect([network, e.txUrl && explorerTemplateProblem(e.txUrl)]).toEqual([network, undefined]);
  });

  it("links each chain's own hash format, in its canonical case", () => {
    expect(explorers.txUrl('bitcoin', TXID.toUpperCase())).toBe(`https://mempool.space/tx/${TXID}`);
    expect(explorers.txUrl('litecoin', TXID)).toBe(`https://litecoinspace.org/tx/${TXID}`);
    expect(explorers.txUrl('dogecoin', TXID)).toBe(`https://blockchair.com/dogecoin/transaction/${TXID}`);
    expect(explorers.txUrl('tron', TXID)).toBe(`https://tronscan.org/#/transaction/${TXID}`);
    expect(explorers.txUrl('ripple', TXID)).toBe(`https://xrpscan.com/tx/${TXID.toUpperCase()}`);
    expect(explorers.txUrl('ethereum', `0x${TXID.toUpperCase()}`)).toBe(`https://etherscan.io/tx/0x${TXID}`);
    // The 0x an EVM hash is written with may be left off; the link has it.
    expect(explorers.txUrl('bsc', TXID)).toBe(`https://bscscan.com/tx/0x${TXID}`);
    expect(explorers.txUrl('solana', SOL_SIGNATURE)).toBe(`https://solscan.io/tx/${SOL_SIGNATURE}`);
  });

  it('makes no link from anything else: another chain’s format, wrong lengths, other characters, no hash, an unknown network', () => {
    const refused: [string, string | null | undefined][] = [
      ['bitcoin', `0x${TXID}`],
      ['bitcoin', TXID.slice(1)],
      ['bitcoin', `${TXID}0`],
      ['bitcoin', `${TXID.slice(0, 63)}g`],
      ['bitcoin', ` ${TXID}`],
      ['bitcoin', `${TXID}\n`],
      ['bitcoin', `${TXID}/../../evil.example`],
      ['bitcoin', `${TXID}#@evil.example`],
      ['bitcoin', 'javascript:alert(document.cookie)'],
      ['bitcoin', ''],
      ['bitcoin', null],
      ['bitcoin', undefined],
      ['ethereum', `0x${TXID.slice(2)}`],
      ['ethereum', `0X${TXID}zz`],
      ['ethereum', 'deadbeef'.repeat(3)],
      ['tron', `0x${TXID}`],
      // Base58 of another length (32 bytes: an address, not a signature), and characters base58 leaves out (0, O, I, l).
      ['solana', '4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T'],
      ['solana', `${SOL_SIGNATURE.slice(0, -1)}0`],
      ['solana', TXID],
      ['cardano', TXID],
      ['__proto__', TXID],
    ];
    for (const [network, hash] of refused) expect([network, hash, explorers.txUrl(network, hash)]).toEqual([network, hash, null]);
  });

  it('uses a configured template instead of the default, and none where a network is configured without one', () => {
    const configured = new BlockExplorers({ ethereum: 'https://eth.blockscout.com/tx/{hash}', tron: null });
    expect(configured.txUrl('ethereum', `0x${TXID}`)).toBe(`https://eth.blockscout.com/tx/0x${TXID}`);
    expect(configured.txUrlTemplate('tron')).toBeNull();
    expect(configured.txUrl('tron', TXID)).toBeNull();
    expect(configured.txUrlTemplate('bitcoin')).toBe('https://mempool.space/tx/{hash}');
    // A template that did not come through the configuration's checks is still checked: no link rather than an unsafe one.
    const unchecked = new BlockExplorers({ bitcoin: 'javascript:alert(1)//{hash}', litecoin: 'https://{hash}.evil.example/' });
    expect([unchecked.txUrlTemplate('bitcoin'), unchecked.txUrl('bitcoin', TXID), unchecked.txUrl('litecoin', TXID)]).toEqual([null, null, null]);
  });
});
