import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { createConvertQuote } from '../../api/fn/convert/create-convert-quote';
import { listConversions } from '../../api/fn/convert/list-conversions';
import { settleConversion } from '../../api/fn/convert/settle-conversion';
import { getWalletBalance } from '../../api/fn/wallet/get-wallet-balance';
import type { ConversionDto, ConvertQuoteDto, WalletDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

const PAGE = 10;

/**
 * The Convert page's data: the balances (what can be given), the user's conversions, and the two calls of a
 * conversion: a quote (locked for its `validForMs`), then its settlement. A settled conversion or a wallet event on
 * /ws/user (another tab converted, a deposit arrived) reloads the balances and the history.
 */
@Injectable()
export class ConvertStore {
  private readonly api = inject(Api);
  readonly wallet = signal<WalletDto | null>(null);
  readonly walletLoading = signal(false);

  private readonly pages = new CursorPages<ConversionDto>((cursor) => this.api.invoke(listConversions, { limit: PAGE, cursor }));
  readonly history = this.pages.items;
  readonly historyCursor = this.pages.nextCursor;
  readonly historyLoading = this.pages.loading;

  constructor() {
    whenBumped(inject(UserEventsStore).walletChanged, () => void this.refresh().catch(() => undefined));
  }

  refresh(): Promise<void> {
    return Promise.all([this.loadWallet(), this.pages.reload()]).then(() => undefined);
  }

  async loadWallet(): Promise<void> {
    this.walletLoading.set(true);
    try {
      this.wallet.set((await this.api.invoke(getWalletBalance, {})).wallet);
    } finally {
      this.walletLoading.set(false);
    }
  }

  moreHistory(): Promise<void> {
    return this.pages.more();
  }

  /** Prices `amount` of `from` (fee included) in `to`; rejects with an ApiError (no snackbar: the form shows it). */
  async quote(from: string, to: string, amount: string): Promise<ConvertQuoteDto> {
    return (await this.api.invoke(createConvertQuote, { body: { from, to, amount } }, silentErrors())).quote;
  }

  /**
   * Settles a quote. `idempotencyKey` is one per quote: a retry (the interceptor's after a token refresh, a second
   * click) answers the same conversion. Rejects with an ApiError (409 QUOTE_EXPIRED, 422 INSUFFICIENT_FUNDS…).
   */
  async settle(quoteId: string, idempotencyKey: string): Promise<ConversionDto> {
    const res = await this.api.invoke(settleConversion, { 'Idempotency-Key': idempotencyKey, body: { quoteId } }, silentErrors());
    await this.refresh().catch(() => undefined);
    return res.conversion;
  }
}
