/**
 * What NOWPayments calls the currency of a payout on each network a withdrawal can leave on, and which of our
 * assets each of its currency codes (payouts, payments, balances) is. A withdrawal on a network not listed here is
 * never sent automatically: an operator sends it.
 */
const PAYOUT_CURRENCY: Readonly<Record<string, string>> = {
  'BTC:bitcoin': 'btc',
  'ETH:ethereum': 'eth',
  'USDT:ethereum': 'usdterc20',
  'USDT:tron': 'usdttrc20',
  'USDC:ethereum': 'usdc',
  'LTC:litecoin': 'ltc',
  'BNB:bsc': 'bnbbsc',
  'SOL:solana': 'sol',
  'XRP:ripple': 'xrp',
  'DOGE:dogecoin': 'doge',
};

/** Every provider currency code we know, with its asset: the payout codes above and the codes deposits are paid in. */
const ASSET_OF: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(PAYOUT_CURRENCY).map(([key, code]) => [code, key.split(':')[0]])),
  usdt: 'USDT',
  usdtbsc: 'USDT',
  usdc: 'USDC',
  usdcbsc: 'USDC',
  bnb: 'BNB',
};

/** The provider's currency code for `asset` sent on `network`, or undefined when it cannot be sent automatically. */
export function payoutCurrency(asset: string, network: string): string | undefined {
  return PAYOUT_CURRENCY[`${asset.toUpperCase()}:${network.toLowerCase()}`];
}

/** Our asset for a provider currency code (`usdttrc20` → USDT); an unknown code is its own name in capitals. */
export function assetOfProviderCurrency(code: string): string {
  return ASSET_OF[code.toLowerCase()] ?? code.toUpperCase();
}
