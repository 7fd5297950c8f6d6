import Decimal from 'decimal.js';
import { Dec, dec } from '../../common/money/decimal';
import { formatPrice } from '../../common/money/amount-format';
import { formatCrypto, formatUsd } from '../../common/money/prose-format';
import { conversionRate, feeOn, netForTotal } from '../../convert/convert-pricing';
import { USD_SCALE } from '../../orders/order-pricing';

/** The stablecoins a cash-out can send (each on the networks its withdrawal rules list). */
export const CASH_OUT_ASSETS = ['USDT', 'USDC'] as const;
export type CashOutAsset = (typeof CASH_OUT_ASSETS)[number];

/** Decimals the stablecoins have on chain (USDT and USDC: 6 on every network we send them on): what a payout can carry. */
export const CASH_OUT_TOKEN_DECIMALS: Record<CashOutAsset, number> = { USDT: 6, USDC: 6 };

/** The scale a cash-out's stablecoin amounts are rounded to: a withdrawal's, but never past the token's on-chain decimals. */
export const cashOutScale = (asset: string, withdrawalScale: number): number =>
  Math.min(withdrawalScale, CASH_OUT_TOKEN_DECIMALS[asset as CashOutAsset] ?? withdrawalScale);

/** The dollars a cash-out may ask for: whole cents, more than 0, at most this (the daily limit is checked apart). */
export const CASH_OUT_MAX_USD = '1000000';

export interface CashOutInput {
  /** Dollars to take from the USD balance, fee included: exactly this leaves it. */
  usdAmount: Dec;
  /** USD price of one unit of the stablecoin (its live quote). */
  price: Dec;
  /** The trading fee rate (TRADING_FEE_RATE), as convert charges it. */
  feeRate: Dec;
  /** The stablecoin's network fee (withdrawal rules), in the stablecoin, held on top of what arrives. */
  networkFee: Dec;
  /** Decimals a stablecoin amount keeps (a withdrawal's, 8). */
  scale: number;
}

/** What a cash-out takes, converts, holds and delivers. */
export interface CashOutPricing {
  /** Debited from USD: the input, exactly. */
  usdAmount: Dec;
  /** The dollars converted at the price: convert's largest net with net + fee(net) ≤ usdAmount. */
  net: Dec;
  /** The conversion fee in USD: usdAmount − net (the trading fee of net rounded up, and the ≤ 2e-8 the rounding leaves). */
  fee: Dec;
  /** The stablecoin bought: net ÷ price rounded down. It is what the withdrawal holds (amount + network fee). */
  converted: Dec;
  networkFee: Dec;
  /** What arrives at the address: converted − network fee (the withdrawal's amount). Not positive: nothing would arrive. */
  receive: Dec;
}

/**
 * Prices a cash-out of `usdAmount` dollars as a stablecoin, with convert's rules (no spread; the trading fee taken
 * from the dollars, rounded up; what is bought rounded down), except that the dollars debited are exactly those asked
 * for: the fee is usdAmount − net, so the part of a cent convert's rounding would leave in the balance (at most
 * 0.00000002 USD) goes with the fee. Rounding never gives the user more than the price pays for.
 */
export function priceCashOut(i: CashOutInput): CashOutPricing {
  const net = netForTotal(i.usdAmount, i.feeRate, USD_SCALE);
  const converted = net.div(i.price).toDecimalPlaces(i.scale, Decimal.ROUND_DOWN);
  return {
    usdAmount: i.usdAmount,
    net,
    fee: i.usdAmount.sub(net),
    converted,
    networkFee: i.networkFee,
    receive: converted.sub(i.networkFee),
  };
}

/**
 * The smallest amount of dollars, in whole cents, whose cash-out delivers at least `minimum` of the stablecoin (its
 * withdrawal minimum) after the network fee: the figure a "cash out at least…" message names.
 */
export function minimumUsdFor(minimum: Dec, i: Omit<CashOutInput, 'usdAmount'>): Dec {
  const needed = minimum.add(i.networkFee);
  const net = needed.mul(i.price).toDecimalPlaces(USD_SCALE, Decimal.ROUND_UP);
  let usd = net.add(feeOn(net, i.feeRate, USD_SCALE)).toDecimalPlaces(2, Decimal.ROUND_UP);
  // The rounding of net (down, from the total) can fall one step short: a cent more is always enough.
  for (let n = 0; n < 5 && priceCashOut({ ...i, usdAmount: usd }).receive.lt(minimum); n++) usd = usd.add('0.01');
  return usd;
}

/** How many units of the stablecoin one dollar buys at `price` (18 significant digits; for reading). */
export function stablecoinsPerDollar(price: Dec): Dec {
  return conversionRate(dec(1), price);
}

/** A stablecoin's price with every digit it has ("$1.0002": two decimals would say "$1.00" for any of them). */
export function formatStablecoinPrice(price: Dec): string {
  return `$${formatPrice(price)}`;
}

/** The cash-out's terms as a journal's description reads them (the ledger amounts stay exact). */
export interface CashOutProse {
  asset: string;
  usdAmount: Dec;
  fee: Dec;
  price: Dec;
  converted: Dec;
  networkFee: Dec;
}

/**
 * The funding journal's description: "Cash-out of $100.00 to “Tron wallet” requested: converted to 99.88 USDT at
 * $1.0002 (fee ≈$0.10) and held until it is sent (97.38 USDT arrives after the 2.5 USDT network fee)".
 */
export function describeCashOutFunding(c: CashOutProse, to: string): string {
  const receive = c.converted.sub(c.networkFee);
  return (
    `Cash-out of ${formatUsd(c.usdAmount, { approx: true })} to ${to} requested: converted to ${formatCrypto(c.converted, c.asset)} ` +
    `at ${formatStablecoinPrice(c.price)} (fee ${formatUsd(c.fee, { approx: true })}) and held until it is sent ` +
    `(${formatCrypto(receive, c.asset)} arrives after the ${formatCrypto(c.networkFee, c.asset)} network fee)`
  );
}

/** The reversal's description: "Cash-out of $100.00 rejected: 99.88 USDT converted back at $1.0002, $100.00 available again". */
export function describeCashOutReversal(c: CashOutProse, why: string): string {
  const usd = formatUsd(c.usdAmount, { approx: true });
  return `Cash-out of ${usd} ${why}: ${formatCrypto(c.converted, c.asset)} converted back at ${formatStablecoinPrice(c.price)}, ${usd} available again`;
}
