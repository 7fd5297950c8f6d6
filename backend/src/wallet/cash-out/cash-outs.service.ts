import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TwoFactorService } from '../../auth/two-factor.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { conflict, notFound, unprocessable, validationFailed } from '../../common/errors/app-error';
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { freshPrice } from '../../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../../common/market/market-quotes';
import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec, toFixedString } from '../../common/money/decimal';
import { formatUsd } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import type { Tx } from '../../database/unit-of-work';
import { insufficientFunds, LedgerService } from '../../ledger/ledger.service';
import { userAccount } from '../../ledger/ledger.types';
import { WithdrawalAddressesService } from '../addresses/withdrawal-addresses.service';
import type { WithdrawalResponseDto } from '../withdrawals/dto/withdrawal.dto';
import { WITHDRAWAL_AMOUNT_SCALE, WITHDRAWAL_RULES, type WithdrawalRule } from '../withdrawals/withdrawal-rules';
import { withinDailyLimit } from '../withdrawals/withdrawal-state';
import { WithdrawalsService } from '../withdrawals/withdrawals.service';
import { cashOutScale, minimumUsdFor, priceCashOut } from './cash-out-pricing';
import { CashOutQuotesRepository } from './cash-out-quotes.repository';
import { addressNetworkMismatch } from './cash-out-text';
import { toCashOutQuoteDto } from './cash-out.mapper';
import { CashOutQuoteResponseDto, CreateCashOutDto, CreateCashOutQuoteDto } from './dto/cash-out.dto';
import type { CashOutQuoteEntity } from './entities/cash-out-quote.entity';

const IDEMPOTENCY_SCOPE = 'wallet.cash_out';
/** Quotes that expired unused are kept this long (a late use answers 409 QUOTE_EXPIRED, not 404), then swept. */
const EXPIRED_QUOTE_RETENTION_MS = 24 * 3_600_000;

const quoteExpired = () => conflict('QUOTE_EXPIRED', 'This quote has expired: get a new quote');

/**
 * USD cash-out (API.md "USD cash-out"): we have no bank rail, so dollars leave as a stablecoin (USDT or USDC) sent to
 * an address of the owner's. A quote prices it with convert's rules at the live price and holds for
 * CONVERT_QUOTE_TTL_MS; using it creates ONE withdrawal of the stablecoin, funded by ONE journal that debits the
 * dollars and holds the stablecoin bought with them (CashOutJournals), through the same create path as any
 * withdrawal (WithdrawalsService.createLocked: the address book, the daily limit and dual approval on the dollars,
 * the audit record), after the same checks (two-factor, security hold, a code or a passkey).
 *
 * The quote row, locked `FOR UPDATE` in the transaction that creates the withdrawal, makes it once: concurrent uses of
 * one quote wait for it, then read it used and answer the withdrawal it made; the withdrawal's unique
 * `cash_out_quote_id` and the journal's unique reference are further guards. If the withdrawal is cancelled or
 * rejected, the dollars come back whole at the quote's price (CashOutJournals.reverse).
 */
@Injectable()
export class CashOutsService {
  private readonly logger = new Logger('CashOuts');

  constructor(
    private readonly quotes: CashOutQuotesRepository,
    private readonly withdrawals: WithdrawalsService,
    @Inject(MARKET_QUOTES) private readonly market: MarketQuotes,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly addresses: WithdrawalAddressesService,
    private readonly idempotency: IdempotencyService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  /**
   * Prices a cash-out of `usdAmount` dollars as `asset` on `network` at the live price and stores the quote for
   * CONVERT_QUOTE_TTL_MS; nothing moves yet. Refused at once (422) when it would be refused when used: under the
   * stablecoin's withdrawal minimum once the network fee is taken, more USD than is available, over the daily limit.
   */
  async createQuote(user: AuthUser, dto: CreateCashOutQuoteDto): Promise<CashOutQuoteResponseDto> {
    const rule = WITHDRAWAL_RULES[dto.asset];
    const network = networkOf(rule, dto.network);
    const usdAmount = dec(dto.usdAmount);
    const terms = {
      price: freshPrice(this.market, dto.asset, this.config.values.priceMaxAgeMs),
      feeRate: dec(this.config.values.tradingFeeRate),
      networkFee: dec(rule.fee),
      scale: cashOutScale(dto.asset, WITHDRAWAL_AMOUNT_SCALE),
    };
    const p = priceCashOut({ ...terms, usdAmount });
    const minimum = dec(rule.minimum);
    if (p.receive.lt(minimum)) {
      const least = minimumUsdFor(minimum, terms);
      throw unprocessable(
        'BELOW_MINIMUM',
        `Cash out at least ${formatUsd(least)}: the smallest ${rule.asset} withdrawal is ${rule.minimum} ${rule.asset}, sent after its ${rule.fee} ${rule.asset} network fee`,
        [{ field: 'usdAmount', message: `Enter at least ${toFixedString(least, 2)} USD` }],
      );
    }
    await this.assertAffordable(user.id, usdAmount);
    const used = await this.withdrawals.usedToday(user.id);
    const limit = this.config.values.withdrawalDailyLimitUsd;
    if (!withinDailyLimit(used, usdAmount, limit)) {
      const left = Dec.max(dec(limit).sub(used), 0);
      throw unprocessable('LIMIT_EXCEEDED', `Withdrawals are limited to ${limit} USD per 24 hours; ${toFixedString(left, 2)} USD left`);
    }
    const quote = await this.quotes.insert({
      userId: user.id,
      asset: rule.asset,
      network,
      usdAmount,
      fee: p.fee,
      price: terms.price,
      converted: p.converted,
      networkFee: p.networkFee,
      ttlMs: this.config.values.convertQuoteTtlMs,
    });
    return { quote: toCashOutQuoteDto(quote) };
  }

  /**
   * Uses the caller's quote once: a withdrawal of the stablecoin to a saved address on the quote's network, its
   * dollars debited and the stablecoin held in one journal. Using a used quote again (in parallel or later) answers the
   * withdrawal it made, never a second one (409 INVALID_STATE when it names another address). 404 for an unknown or
   * another user's quote; 409 QUOTE_EXPIRED after its expiry; 422 INSUFFICIENT_FUNDS when USD no longer covers it;
   * everything else as POST /api/wallet/withdraw answers it. What can be checked before a code is used up is.
   */
  async create(user: AuthUser, dto: CreateCashOutDto, idempotencyKey: string | undefined): Promise<WithdrawalResponseDto> {
    await this.withdrawals.assertMayRequest(user, dto);
    const read = await this.quotes.findOwn(user.id, dto.quoteId);
    if (!read) throw notFound('No such cash-out quote');
    const used = read.quote.status === 'used';
    if (!used) {
      if (read.expired) throw quoteExpired();
      const to = await this.addresses.requireUsable(user.id, dto.addressId, read.quote.asset);
      if (to.network !== read.quote.network) throw addressNetworkMismatch(to.network, read.quote.asset, read.quote.network);
      await this.assertAffordable(user.id, dec(read.quote.usdAmount));
    }
    // A used quote answers the withdrawal it made, as a replay of a finished request does, without a new code.
    if (!used && !(await this.idempotency.isReplay(user.id, IDEMPOTENCY_SCOPE, idempotencyKey)))
      await this.twoFactor.requireSecondFactor(user, 'wallet.withdraw', { code: dto.twoFactorCode, passkey: dto.passkey });

    let created = false;
    const body = { quoteId: dto.quoteId, addressId: dto.addressId };
    const result = await this.idempotency.run<WithdrawalResponseDto>({ userId: user.id, scope: IDEMPOTENCY_SCOPE, key: idempotencyKey, body }, async (tx) => {
      created = false;
      const locked = await this.quotes.lockOwn(tx, user.id, dto.quoteId);
      if (!locked) throw notFound('No such cash-out quote');
      const q = locked.quote;
      if (q.status === 'used') return this.madeBy(tx, q, dto.addressId);
      if (locked.expired) throw quoteExpired();
      const res = await this.useQuote(tx, q, dto.addressId);
      created = true;
      return res;
    });
    if (created) await this.withdrawals.notifyRequested(user.id, result.withdrawal);
    return result;
  }

  /** Sweeps quotes that expired unused a day ago (every instance may run it: a DELETE twice deletes once). */
  @Interval('cash-out-quote-sweep', 3_600_000)
  async sweepExpiredQuotes(): Promise<void> {
    try {
      const n = await this.quotes.deleteExpired(EXPIRED_QUOTE_RETENTION_MS);
      if (n) this.logger.log(`swept ${n} expired cash-out quotes`);
    } catch (e) {
      this.logger.warn(`cash-out quote sweep failed: ${(e as Error).message}`);
    }
  }

  /** The withdrawal, its funding journal and the quote marked used, on `tx` (the quote's row lock held). */
  private async useQuote(tx: Tx, q: CashOutQuoteEntity, addressId: string): Promise<WithdrawalResponseDto> {
    const converted = dec(q.converted);
    const networkFee = dec(q.networkFee);
    const usdAmount = dec(q.usdAmount);
    const res = await this.withdrawals.createLocked(tx, q.userId, {
      asset: q.asset,
      amount: converted.sub(networkFee),
      fee: networkFee,
      addressId,
      // The daily limit and the dual-approval line count the dollars that leave.
      usdValue: usdAmount,
      cashOut: { quoteId: q.id, asset: q.asset, network: q.network, usdAmount, fee: dec(q.fee), price: dec(q.price), converted, networkFee },
    });
    if (!(await this.quotes.markUsed(tx, q.id, res.withdrawal.id))) throw conflict('INVALID_STATE', 'This quote was used meanwhile');
    return res;
  }

  /** The withdrawal a used quote made; 409 when this request names another address (the quote cannot pay for two). */
  private async madeBy(tx: Tx, q: CashOutQuoteEntity, addressId: string): Promise<WithdrawalResponseDto> {
    const withdrawal = await this.withdrawals.withdrawalOn(tx, q.withdrawalId!);
    if (withdrawal.addressId !== addressId) {
      throw conflict('INVALID_STATE', 'This quote was already used for a cash-out to another address: get a new quote');
    }
    return { withdrawal };
  }

  /** 422 INSUFFICIENT_FUNDS, nothing moved, when the available USD does not cover `usd` (checked again, locked, when posted). */
  private async assertAffordable(userId: string, usd: Dec): Promise<void> {
    const balance = (await this.ledger.balancesOf(userAccount(userId))).find((b) => b.asset === CASH_ASSET);
    const available = dec(balance?.available ?? 0);
    if (available.lt(usd)) throw insufficientFunds(CASH_ASSET, usd, available);
  }
}

/** The network asked for, if the stablecoin leaves on it (400 on `network` otherwise), else its first. */
function networkOf(rule: WithdrawalRule, network: string | undefined): string {
  if (network === undefined) return rule.networks[0].name;
  if (!rule.networks.some((n) => n.name === network)) {
    throw validationFailed([{ field: 'network', message: `${rule.asset} is withdrawn on ${rule.networks.map((n) => n.name).join(' or ')}, not ${network}` }]);
  }
  return network;
}
