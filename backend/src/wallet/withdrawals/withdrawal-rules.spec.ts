import { Dec } from '../../common/money/decimal';
import { checkWithdrawalAddress, WITHDRAWAL_RULES } from './withdrawal-rules';

describe('withdrawal address rules', () => {
  it('accepts real addresses of each supported network', () => {
    expect(checkWithdrawalAddress('BTC', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toEqual({ ok: true, network: 'bitcoin' });
    expect(checkWithdrawalAddress('BTC', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2').ok).toBe(true);
    expect(checkWithdrawalAddress('ETH', '0x52908400098527886E0F7030069857D2E4169EE7').ok).toBe(true);
    expect(checkWithdrawalAddress('USDT', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', 'tron')).toEqual({ ok: true, network: 'tron' });
    expect(checkWithdrawalAddress('SOL', 'So11111111111111111111111111111111111111112').ok).toBe(true);
    expect(checkWithdrawalAddress('XRP', 'rDsbeomae4FXwgQTJp9Rs64Qg9vDiTCdBv').ok).toBe(true);
  });

  it('refuses a Bitcoin bech32 address with one character changed (checksum)', () => {
    const r = checkWithdrawalAddress('BTC', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx');
    expect(r).toEqual({ ok: false, message: expect.stringContaining('not a valid BTC address on bitcoin') });
  });

  it('refuses an Ethereum address whose mixed case breaks the EIP-55 checksum', () => {
    expect(checkWithdrawalAddress('ETH', '0x52908400098527886E0F7030069857D2E4169Ee7').ok).toBe(false);
  });

  it('refuses an address of another network and a network the asset does not use', () => {
    expect(checkWithdrawalAddress('BTC', '0x52908400098527886E0F7030069857D2E4169EE7').ok).toBe(false);
    expect(checkWithdrawalAddress('USDT', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'tron').ok).toBe(false);
    expect(checkWithdrawalAddress('ETH', '0x52908400098527886E0F7030069857D2E4169EE7', 'bitcoin')).toEqual({
      ok: false,
      message: 'ETH is withdrawn on ethereum, not bitcoin',
    });
  });

  it('refuses too-short input and unknown assets', () => {
    expect(checkWithdrawalAddress('BTC', 'bc1q').ok).toBe(false);
    expect(checkWithdrawalAddress('FOO', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toEqual({ ok: false, message: 'FOO cannot be withdrawn' });
  });

  it('charges fees in the asset that are small beside the minimum (no "1.0 BTC" fee)', () => {
    for (const rule of Object.values(WITHDRAWAL_RULES)) {
      expect(new Dec(rule.fee).lt(new Dec(rule.minimum))).toBe(true);
    }
    expect(WITHDRAWAL_RULES.BTC.fee).toBe('0.0001');
  });
});
