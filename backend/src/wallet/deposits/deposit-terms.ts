import { decimalStringProblem } from '../../common/decorators/is-decimal-string.decorator';
import { listInWords } from '../../common/decorators/validation-messages';
import { validationFailed } from '../../common/errors/app-error';
import { CASH_ASSET, formatAmount } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/prose-format';
import type { PaymentStatus } from '../payments/payment-provider';
import { CreateDepositDto, DEPOSIT_CURRENCIES, DEPOSIT_QUANTITY, DEPOSIT_USD_AMOUNT, DepositAsset, DepositCurrency } from './dto/deposit.dto';
import { creditScale } from './ipn';

/** What a deposit asks of the provider and credits, read from a request. */
export interface DepositTerms {
  /** What it credits: USD, or the crypto asset paid. */
  asset: DepositAsset;
  /** The price asked, in `asset`, at its scale (cents; 8 decimals). */
  price: string;
  /** `usd`, or the currency paid (a deposit in kind is priced in what is paid). */
  priceCurrency: string;
  payCurrency: DepositCurrency;
}

/**
 * The terms of a deposit request, or 400 naming every field that is missing or does not belong:
 * - USD (`asset` USD or left out, as clients of earlier releases send it): `amount` dollars paid in `currency`,
 *   priced in USD at the provider (which converts at its rate, shown as `payAmount` before paying);
 * - in kind (`asset` BTC, ETH, …): `quantity` of the asset, paid in it (`currency` left out or the same), priced
 *   in it (`price_currency` = `pay_currency`), so what arrives is what is credited.
 */
export function depositTerms(dto: CreateDepositDto): DepositTerms {
  const asset: DepositAsset = dto.asset ?? 'USD';
  const problems: { field: string; message: string }[] = [];
  if (asset === CASH_ASSET) {
    if (dto.amount == null) problems.push({ field: 'amount', message: decimalStringProblem(undefined, DEPOSIT_USD_AMOUNT)! });
    if (dto.quantity != null) problems.push({ field: 'quantity', message: 'Give a dollar amount for a USD deposit' });
    if (dto.currency == null) problems.push({ field: 'currency', message: `Choose a currency to pay with: ${listInWords(DEPOSIT_CURRENCIES)}` });
    if (problems.length) throw validationFailed(problems);
    return { asset, price: dec(dto.amount!).toFixed(2), priceCurrency: 'usd', payCurrency: dto.currency! };
  }
  const currency = asset.toLowerCase() as DepositCurrency;
  if (dto.amount != null) problems.push({ field: 'amount', message: `Give a quantity of ${asset}, not a dollar amount` });
  if (dto.quantity == null) problems.push({ field: 'quantity', message: decimalStringProblem(undefined, DEPOSIT_QUANTITY)! });
  if (dto.currency != null && dto.currency !== currency) problems.push({ field: 'currency', message: `A ${asset} deposit is paid in ${asset}` });
  if (problems.length) throw validationFailed(problems);
  return { asset, price: dec(dto.quantity!).toFixed(creditScale(asset)), priceCurrency: currency, payCurrency: currency };
}

/** A credit's notification: the server's English, and in `data` the figures the client writes it from again. */
export interface DepositNotice {
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/**
 * The words of one credit of a deposit: its journal's description and its notification. A whole USD deposit keeps
 * the words and data (no `kind`) of earlier releases; a deposit in kind, a partial credit and the rest of a partly
 * paid deposit carry a `kind` (`in_kind`, `partial`, `remainder`), which clients of earlier releases do not know
 * and so show the server's English (notification-text.ts) rather than misread the amount as dollars.
 */
export function creditWords(
  deposit: { creditAsset: string; priceAmount: string; payCurrency: string },
  status: PaymentStatus,
  c: { before: Dec; total: Dec; amount: Dec },
): { journal: string; notice: DepositNotice } {
  const asset = deposit.creditAsset;
  const usd = asset === CASH_ASSET;
  const paidIn = deposit.payCurrency.toUpperCase();
  const amount = formatMoney(c.amount, asset);
  const total = formatMoney(c.total, asset);
  const expected = formatMoney(deposit.priceAmount, asset);
  const data = {
    asset,
    amount: formatAmount(c.amount.toDecimalPlaces(creditScale(asset)), asset),
    total: formatAmount(c.total.toDecimalPlaces(creditScale(asset)), asset),
    expected: formatAmount(dec(deposit.priceAmount).toDecimalPlaces(creditScale(asset)), asset),
  };
  const paid = usd ? ` paid in ${paidIn}` : '';
  if (status === 'partially_paid') {
    return {
      journal: `Deposit of ${amount}${paid} (part of ${expected})`,
      notice: {
        title: `Deposit partly paid: ${amount} credited`,
        body: `Your deposit of ${expected}${usd ? ` in ${paidIn}` : ''} was paid in part: ${total} arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.`,
        data: { kind: 'partial', ...data },
      },
    };
  }
  if (!c.before.isZero()) {
    return {
      journal: `Deposit of ${amount}${paid} (the rest of ${expected})`,
      notice: {
        title: `Deposit credited: ${amount}`,
        body: `The rest of your deposit of ${expected} arrived: ${amount} has been credited, ${total} in all.`,
        data: { kind: 'remainder', ...data },
      },
    };
  }
  return {
    journal: `Deposit of ${amount}${paid}`,
    notice: {
      title: `Deposit credited: ${amount}`,
      body: `Your deposit of ${amount}${paid} has been credited and is now available in your CryptoVault wallet.`,
      data: usd ? { ...data, amount: dec(c.amount).toFixed(2) } : { kind: 'in_kind', ...data },
    },
  };
}
