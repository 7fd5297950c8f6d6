import Decimal from 'decimal.js';
import { CASH_ASSET } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { formatCrypto, formatMoney, formatUsdPrice } from '../common/money/prose-format';
import { USD_SCALE } from '../orders/order-pricing';

/** What a conversion gives, charges and receives; every amount at its asset's scale. */
export interface ConversionPricing {
  /** Debited from the `from` asset, fee included: `net + fee`. */
  give: Dec;
  /** The part of `give` converted at the rate. */
  net: Dec;
  /** The fee, in the `from` asset: `net × feeRate`, rounded up. */
  fee: Dec;
  /** Credited in the `to` asset. */
  receive: Dec;
  /** The fee's USD value at the `from` price, rounded up at 8 decimals. */
  feeUsd: Dec;
  /** The USD value of `net`: what MIN_NOTIONAL is checked against. */
  notionalUsd: Dec;
}

export interface ConversionInput {
  /** USD price of one unit of `from` and of `to` (USD itself: 1). */
  fromPrice: Dec;
  toPrice: Dec;
  feeRate: Dec;
  /** Decimals kept for each asset (USD 8 internally, crypto its catalogue's `decimals`). */
  fromScale: number;
  toScale: number;
  /** Exactly one: how much `from` to give, fee included, or how much `to` to receive. */
  amount?: Dec;
  receive?: Dec;
}

const step = (scale: number): Dec => dec(1).div(dec(10).pow(scale));

/** The fee on `net` of an asset kept to `scale` decimals: net × rate, rounded up (orders' rule, in the asset given). */
export function feeOn(net: Dec, feeRate: Dec, scale: number): Dec {
  return net.mul(feeRate).toDecimalPlaces(scale, Decimal.ROUND_UP);
}

/**
 * The largest `net` (at `scale` decimals) whose net + fee(net) is at most `total`: orders' rule for "buy $100 of BTC"
 * (order-pricing notionalForTotal), in any asset. Starts at total / (1 + rate) rounded down, which the fee's rounding
 * up can push over by at most one step.
 */
export function netForTotal(total: Dec, feeRate: Dec, scale: number): Dec {
  const unit = step(scale);
  let net = total.div(feeRate.add(1)).toDecimalPlaces(scale, Decimal.ROUND_DOWN);
  for (let i = 0; i < 3 && net.isPositive() && net.add(feeOn(net, feeRate, scale)).gt(total); i++) net = net.sub(unit);
  if (net.isNegative() || net.add(feeOn(net, feeRate, scale)).gt(total)) return dec(0);
  return net;
}

/**
 * Prices a conversion of `from` into `to` at the two USD prices; rounding never invents money for the user:
 * - by `amount` (what to give, fee included, as "convert $100" spends $100.00 at most): net = the largest amount with
 *   net + fee(net) ≤ amount; receive = net × fromPrice ÷ toPrice, rounded DOWN at the `to` scale; at most 2 units of
 *   the last decimal of `amount` stay in the balance;
 * - by `receive` (exactly that arrives): net = receive × toPrice ÷ fromPrice, rounded UP at the `from` scale;
 *   give = net + fee(net).
 * No spread: the rate is fromPrice ÷ toPrice; the fee (TRADING_FEE_RATE, 0.1 %) is the only charge.
 */
export function priceConversion(input: ConversionInput): ConversionPricing {
  const { fromPrice, toPrice, feeRate, fromScale, toScale } = input;
  let net: Dec;
  let receive: Dec;
  if (input.amount !== undefined) {
    net = netForTotal(input.amount, feeRate, fromScale);
    receive = net.mul(fromPrice).div(toPrice).toDecimalPlaces(toScale, Decimal.ROUND_DOWN);
  } else if (input.receive !== undefined) {
    receive = input.receive;
    net = receive.mul(toPrice).div(fromPrice).toDecimalPlaces(fromScale, Decimal.ROUND_UP);
  } else {
    throw new Error('priceConversion needs an amount or a receive');
  }
  const fee = feeOn(net, feeRate, fromScale);
  return {
    give: net.add(fee),
    net,
    fee,
    receive,
    feeUsd: fee.mul(fromPrice).toDecimalPlaces(USD_SCALE, Decimal.ROUND_UP),
    notionalUsd: net.mul(fromPrice),
  };
}

/** How many `to` one `from` buys: fromPrice ÷ toPrice to 18 significant digits (for reading; the amounts are what count). */
export function conversionRate(fromPrice: Dec, toPrice: Dec): Dec {
  return fromPrice.div(toPrice).toSignificantDigits(18, Decimal.ROUND_HALF_EVEN);
}

/**
 * The journal description a person reads in their transactions: "Converted $100.00 to 0.00095827 BTC at $104,250.00
 * (fee ≈$0.10)", "Converted 0.5 BTC to ≈13.46 ETH at 1 BTC = 26.93 ETH (fee 0.0005 BTC)". A price in dollars when one
 * side is USD, else what one `from` is worth in `to`; "≈" where digits were dropped (the ledger amounts stay exact).
 */
export function describeConversion(from: string, to: string, p: Pick<ConversionPricing, 'give' | 'receive' | 'fee'>, fromPrice: Dec, toPrice: Dec): string {
  let at: string;
  if (from === CASH_ASSET) at = formatUsdPrice(toPrice);
  else if (to === CASH_ASSET) at = formatUsdPrice(fromPrice);
  else {
    const rate = formatCrypto(conversionRate(fromPrice, toPrice), to);
    at = rate.startsWith('≈') ? `1 ${from} ≈ ${rate.slice(1)}` : `1 ${from} = ${rate}`;
  }
  const fee = p.fee.isZero() ? '' : ` (fee ${formatMoney(p.fee, from, { approx: true })})`;
  return `Converted ${formatMoney(p.give, from, { approx: true })} to ${formatMoney(p.receive, to, { approx: true })} at ${at}${fee}`;
}
