import type { NotificationDto } from '../../api/models';
import { knownRunReason } from '../recurring/run-reason';
import { FIAT, type Formatter, humanProse } from '../ui/format';

/**
 * A notification in the reader's language. The server stores each one with an
 * English title and body and, in `data`, the figures they are written from;
 * the client writes them again from `type` + `data` with $localize messages and
 * the formatter (figures and dates in the locale and time zone), saying what
 * the server's English says. What the data does not carry (rows of earlier
 * releases, a type or kind this client does not know) is shown as the server
 * wrote it, through `humanProse` (figures formatted, ids dropped), title and
 * body together, never one language in the title and another in the body.
 *
 * Every $localize call is made when a notification is written (not when this
 * module loads), and ICU is not evaluated in code, so plurals and selects are
 * a message per case.
 *
 *   const { title, body } = notificationText(n, format);
 */
export interface NotificationText {
  title: string;
  body: string;
}

export type NotificationLike = Pick<NotificationDto, 'type' | 'title' | 'body' | 'data' | 'createdAt'>;

export function notificationText(n: NotificationLike, f: Formatter): NotificationText {
  let written: NotificationText | null = null;
  try {
    written = write(n, new Words(f));
  } catch {
    // Data of a shape no producer writes: the server's words below.
    written = null;
  }
  if (written) return written;
  const title = humanProse(n.title, f) || generic(n.type);
  return { title, body: humanProse(n.body, f) };
}

type Fields = Record<string, unknown>;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const fields = (v: unknown): Fields | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const decimal = (v: unknown): string | null => (typeof v === 'string' && DECIMAL.test(v) ? v : null);
const instant = (v: unknown): string | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
/** A key the data carries, its value possibly null (older rows lack the key itself). */
const has = (d: Fields, key: string): boolean => Object.prototype.hasOwnProperty.call(d, key);

/** Figures and dates as the notification texts write them, through the reader's formatter. */
class Words {
  constructor(readonly f: Formatter) {}

  /** Dollars with cents: "$99.00". */
  usd(v: string): string {
    return this.f.money(v, 'USD');
  }

  /** A unit price: "$70,000.00", "$0.4998". */
  price(v: string): string {
    return this.f.money(v, 'USD', 'price');
  }

  /** A crypto quantity trimmed to 8 decimals, "≈" in front when digits were dropped (as the server writes it). */
  crypto(v: string, asset: string): string {
    const shown = this.f.quantity(v, asset);
    return this.f.isTrimmed(v, asset) && !shown.startsWith('<') ? `≈${shown}` : shown;
  }

  /** An amount or fee of `asset`: fiat with its sign, crypto as a quantity. */
  money(v: string, asset: string): string {
    return FIAT.has(asset) ? this.f.money(v, asset) : this.crypto(v, asset);
  }

  /** A moment in the reader's locale and time zone. */
  when(v: string): string {
    return this.f.date(v);
  }

  /** An "until" or "from" moment, rounded up to the whole minute so it never promises a minute early. */
  whenUp(v: string): string {
    return this.f.date(new Date(Math.ceil(Date.parse(v) / 60_000) * 60_000));
  }

  /** A duration in words, rounded up to the unit shown: "45 seconds", "15 minutes", "1 hour and 30 minutes", "2 days". */
  duration(ms: number): string {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds < 60) return this.seconds(seconds);
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 60) return this.minutes(minutes);
    if (minutes < 48 * 60) return this.pair(this.hours(Math.floor(minutes / 60)), minutes % 60 ? this.minutes(minutes % 60) : null);
    const hours = Math.ceil(minutes / 60);
    return this.pair(this.days(Math.floor(hours / 24)), hours % 24 ? this.hours(hours % 24) : null);
  }

  private seconds(n: number): string {
    return n === 1 ? $localize`1 second` : $localize`${this.f.plain(n, 0)}:count: seconds`;
  }

  private minutes(n: number): string {
    return n === 1 ? $localize`1 minute` : $localize`${this.f.plain(n, 0)}:count: minutes`;
  }

  private hours(n: number): string {
    return n === 1 ? $localize`1 hour` : $localize`${this.f.plain(n, 0)}:count: hours`;
  }

  private days(n: number): string {
    return n === 1 ? $localize`1 day` : $localize`${this.f.plain(n, 0)}:count: days`;
  }

  private pair(big: string, small: string | null): string {
    return small ? $localize`:a duration of two units, e.g. "1 hour and 30 minutes":${big}:first: and ${small}:second:` : big;
  }

  /**
   * The device a notice names, as the server labels it ("Firefox on Windows", "Unknown device", "API client",
   * "an unrecognised browser or app"), in the reader's words; a product or system name stays as it is.
   */
  device(label: string): string {
    const on = /^(.+) on (.+)$/.exec(label);
    if (on) return $localize`:a browser on an operating system, e.g. "Firefox on Windows":${this.product(on[1])}:browser: on ${on[2]}:system:`;
    return this.product(label);
  }

  private product(label: string): string {
    switch (label) {
      case 'Unknown device':
        return $localize`:a device nothing is known of:Unknown device`;
      case 'API client':
        return $localize`:a program calling the API rather than a browser:API client`;
      case 'an unrecognised browser or app':
        return $localize`:a device, after "From" or in brackets after an IP address:an unrecognised browser or app`;
      default:
        return label;
    }
  }
}

function write(n: NotificationLike, w: Words): NotificationText | null {
  const data = fields(n.data) ?? {};
  // A notice of a known type but of a kind written here for none (e.g. a newer producer's `order_filled`) keeps its words.
  const knownKind = (n.type === 'deposit_credited' && DEPOSIT_KINDS.has(data['kind'])) || (n.type === 'order_filled' && data['kind'] === 'recurring_buy_filled');
  if (n.type !== 'notification' && data['kind'] !== undefined && !knownKind) return null;
  switch (n.type) {
    case 'order_filled':
      return data['kind'] === 'recurring_buy_filled' ? recurringBuyFilled(data, w) : orderFilled(data, w);
    case 'order_cancelled':
      return data['reason'] === 'rejected' ? orderRejected(data, w) : null;
    case 'alert_triggered':
      return alertFired(data, w, n.createdAt);
    case 'deposit_credited':
      return depositCredited(data, w);
    case 'withdrawal_updated':
      return withdrawalUpdated(data, w);
    case 'notification':
      if (data['kind'] === 'recurring_buy_skipped') return recurringBuySkipped(data, w);
      if (data['kind'] === 'recurring_buy_failed') return recurringBuyFailed(data, w);
      if (data['kind'] === 'account_export_ready') return accountExportReady(data, w);
      return data['kind'] === 'security_event' ? securityNotice(data, w) : data['kind'] === 'confirmations_locked' ? confirmationsLocked(data, w) : null;
    default:
      return null;
  }
}

/** A title when even the server's text is empty: what kind of news it is. */
function generic(type: string): string {
  switch (type) {
    case 'order_filled':
      return $localize`An order filled`;
    case 'order_cancelled':
      return $localize`An order was cancelled`;
    case 'alert_triggered':
      return $localize`A price alert fired`;
    case 'deposit_credited':
      return $localize`A deposit was credited`;
    case 'withdrawal_updated':
      return $localize`A withdrawal changed status`;
    default:
      return $localize`New notification`;
  }
}

// Orders (orders/order-notifications.ts): `data.order` is the order as the API returns it.

/** The kind of an order as the subject of "Your … of BTC filled": "limit buy". */
function orderKind(type: unknown, side: unknown): string | null {
  switch (`${String(type)} ${String(side)}`) {
    case 'market buy':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":market buy`;
    case 'market sell':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":market sell`;
    case 'limit buy':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":limit buy`;
    case 'limit sell':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":limit sell`;
    case 'stop buy':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":stop buy`;
    case 'stop sell':
      return $localize`:kind of order, subject of "Your … of BTC filled" and "Your … of 0.5 BTC was rejected":stop sell`;
    default:
      return null;
  }
}

interface OrderWords {
  order: string;
  symbol: string;
  quantity: string;
  o: Fields;
}

function orderWords(data: Fields, w: Words): OrderWords | null {
  const o = fields(data['order']);
  if (!o) return null;
  const order = orderKind(o['type'], o['side']);
  const symbol = text(o['symbol']);
  const quantity = decimal(o['quantity']);
  if (!order || !symbol || !quantity) return null;
  return { order, symbol, quantity: w.crypto(quantity, symbol), o };
}

function orderFilled(data: Fields, w: Words): NotificationText | null {
  const words = orderWords(data, w);
  const filledPrice = decimal(words?.o['filledPrice']);
  if (!words || !filledPrice) return null;
  const { order, symbol, quantity, o } = words;
  const price = w.price(filledPrice);
  const quote = decimal(o['quoteAmount']);
  const feeValue = decimal(o['fee']);
  const feeAsset = text(o['feeAsset']);
  const total = quote ? w.usd(quote) : null;
  const fee = feeValue && feeAsset ? w.money(feeValue, feeAsset) : null;
  let body: string;
  if (total && fee) body = $localize`Your ${order}:order: of ${quantity}:quantity: filled at ${price}:price: for ${total}:total: (fee ${fee}:fee:).`;
  else if (total) body = $localize`Your ${order}:order: of ${quantity}:quantity: filled at ${price}:price: for ${total}:total:.`;
  else if (fee) body = $localize`Your ${order}:order: of ${quantity}:quantity: filled at ${price}:price: (fee ${fee}:fee:).`;
  else body = $localize`Your ${order}:order: of ${quantity}:quantity: filled at ${price}:price:.`;
  return { title: $localize`Your ${order}:order: of ${symbol}:symbol: filled`, body };
}

/** "daily buy of $10.00 of BTC", from a recurring buy's data (recurring-buy-notifications.ts on the server). */
function recurringWhat(data: Fields, w: Words): { symbol: string; what: string } | null {
  const s = fields(data['recurringBuy']);
  const symbol = text(s?.['symbol']);
  const amount = decimal(s?.['quoteAmount']);
  if (!s || !symbol || !amount) return null;
  const usd = w.usd(amount);
  switch (s['frequency']) {
    case 'daily':
      return { symbol, what: $localize`daily buy of ${usd}:amount: of ${symbol}:symbol:` };
    case 'weekly':
      return { symbol, what: $localize`weekly buy of ${usd}:amount: of ${symbol}:symbol:` };
    case 'monthly':
      return { symbol, what: $localize`monthly buy of ${usd}:amount: of ${symbol}:symbol:` };
    default:
      return null;
  }
}

function recurringBuyFilled(data: Fields, w: Words): NotificationText | null {
  const r = recurringWhat(data, w);
  const o = fields(data['order']);
  const quantity = decimal(o?.['quantity']);
  const filledPrice = decimal(o?.['filledPrice']);
  if (!r || !quantity || !filledPrice) return null;
  const bought = w.crypto(quantity, r.symbol);
  const price = w.price(filledPrice);
  const feeValue = decimal(o?.['fee']);
  const title = $localize`Your recurring buy of ${r.symbol}:symbol: filled`;
  if (feeValue) {
    const fee = w.money(feeValue, text(o?.['feeAsset']) ?? 'USD');
    return { title, body: $localize`Your ${r.what}:what: bought ${bought}:quantity: at ${price}:price: (fee ${fee}:fee:).` };
  }
  return { title, body: $localize`Your ${r.what}:what: bought ${bought}:quantity: at ${price}:price:.` };
}

/**
 * A skipped run: short funds in words of their own (what to do about it), any other reason this client knows as its
 * label (core/recurring/run-reason.ts); an unknown reason keeps the server's words, whole.
 */
function recurringBuySkipped(data: Fields, w: Words): NotificationText | null {
  const r = recurringWhat(data, w);
  const code = text(fields(data['run'])?.['reasonCode']);
  const reason = knownRunReason(code);
  if (!r || !reason) return null;
  const title = $localize`Your recurring buy of ${r.symbol}:symbol: was skipped`;
  const why =
    code === 'INSUFFICIENT_FUNDS'
      ? $localize`Your ${r.what}:what: was skipped: your available USD balance did not cover it. Add funds to keep it running.`
      : `${$localize`:a recurring buy's run was skipped; its reason follows as a sentence of its own:Your ${r.what}:what: was skipped.`} ${because(reason)}`;
  return { title, body: withNextRun(why, data, w) };
}

/** A run that failed after its last attempt (a stale price, a busy or unreachable service), with its cause. */
function recurringBuyFailed(data: Fields, w: Words): NotificationText | null {
  const r = recurringWhat(data, w);
  const reason = knownRunReason(text(fields(data['run'])?.['reasonCode']));
  if (!r || !reason) return null;
  return {
    title: $localize`Your recurring buy of ${r.symbol}:symbol: did not run`,
    body: withNextRun(
      `${$localize`:a recurring buy's run failed; its cause follows as a sentence of its own:Your ${r.what}:what: could not run.`} ${because(reason)} ${$localize`Nothing was bought.`}`,
      data,
      w,
    ),
  };
}

/** "Reason: Your account is suspended." (the reason as the history table labels it). */
function because(reason: string): string {
  return $localize`:the reason a recurring buy did not buy, as a sentence after what happened:Reason: ${reason}:reason:.`;
}

/** "… The next one runs on Dec 10, 2026, 10:05 AM." when the schedule goes on. */
function withNextRun(body: string, data: Fields, w: Words): string {
  const next = instant(fields(data['recurringBuy'])?.['nextRunAt']);
  return next ? `${body} ${$localize`The next one runs on ${w.when(next)}:when:.`}` : body;
}

function orderRejected(data: Fields, w: Words): NotificationText | null {
  const words = orderWords(data, w);
  if (!words) return null;
  const { order, symbol, quantity } = words;
  return {
    title: $localize`Your ${order}:order: of ${symbol}:symbol: was rejected`,
    body: $localize`Your ${order}:order: of ${quantity}:quantity: reached its trigger but the balance did not cover it; the reserved funds are available again.`,
  };
}

// Alerts (alerts/alert-trigger.service.ts `alertFiredText`): `data.alert` is the alert as the API returns it, once
// fired: a price alert (`above`/`below` its `targetPrice`) or, from issue 18 on, an alert on a 24 h move (`kind:
// "move"`, `up`/`down` by `movePct`, fired at `triggeredChange`); a repeating one (still `active`) says from when it
// is armed again (`rearmAt`).

function alertFired(data: Fields, w: Words, createdAt: string): NotificationText | null {
  const a = fields(data['alert']);
  const symbol = text(a?.['symbol']);
  const triggeredPrice = decimal(a?.['triggeredPrice']);
  const at = instant(a?.['triggeredAt']) ?? instant(createdAt);
  if (!a || !symbol || !triggeredPrice || !at) return null;
  const price = w.price(triggeredPrice);
  const when = w.when(at);
  const rearmAt = a['active'] === true ? instant(a['rearmAt']) : null;
  const again = rearmAt ? ` ${$localize`It is armed again from ${w.whenUp(rearmAt)}:when:.`}` : '';
  if (a['kind'] === 'move') return moveAlertFired(a, symbol, price, when, again, w);
  if (a['kind'] !== undefined && a['kind'] !== 'price') return null;
  const targetPrice = decimal(a['targetPrice']);
  if (!targetPrice) return null;
  const target = w.price(targetPrice);
  switch (a['condition']) {
    case 'above':
      return {
        title: $localize`${symbol}:symbol: is above ${target}:target:`,
        body: $localize`Your alert “${symbol}:symbol: above ${target}:target:” fired: ${symbol}:symbol: traded at ${price}:price: on ${when}:when:.` + again,
      };
    case 'below':
      return {
        title: $localize`${symbol}:symbol: is below ${target}:target:`,
        body: $localize`Your alert “${symbol}:symbol: below ${target}:target:” fired: ${symbol}:symbol: traded at ${price}:price: on ${when}:when:.` + again,
      };
    default:
      return null;
  }
}

function moveAlertFired(a: Fields, symbol: string, price: string, when: string, again: string, w: Words): NotificationText | null {
  const movePct = decimal(a['movePct']);
  const triggeredChange = decimal(a['triggeredChange']);
  if (!movePct || !triggeredChange) return null;
  const move = w.f.percent(movePct, false);
  // The size of the move in the title ("down 6.25%"), the signed change in the body ("-6.25%").
  const size = w.f.percent(triggeredChange.replace(/^-/, ''), false);
  const change = w.f.percent(triggeredChange, true);
  switch (a['condition']) {
    case 'up':
      return {
        title: $localize`${symbol}:symbol: is up ${size}:change: in 24 hours`,
        body:
          $localize`Your alert “${symbol}:symbol: up ${move}:move: in 24 hours” fired: ${symbol}:symbol: traded at ${price}:price:, ${change}:change: in 24 hours, on ${when}:when:.` +
          again,
      };
    case 'down':
      return {
        title: $localize`${symbol}:symbol: is down ${size}:change: in 24 hours`,
        body:
          $localize`Your alert “${symbol}:symbol: down ${move}:move: in 24 hours” fired: ${symbol}:symbol: traded at ${price}:price:, ${change}:change: in 24 hours, on ${when}:when:.` +
          again,
      };
    default:
      return null;
  }
}

// Deposits (wallet/deposits/deposit-terms.ts `creditWords`): a whole USD deposit as earlier releases wrote it,
// `amount` in dollars and `currency` what it was paid in; from issue 18 on, a deposit credited in kind, in part, or
// the rest of one credited in part carries its `kind`, the `asset` credited, `amount` credited now, `total` credited
// in all and `expected` (the deposit's amount), each in that asset.

const DEPOSIT_KINDS = new Set<unknown>(['in_kind', 'partial', 'remainder']);

function depositCredited(data: Fields, w: Words): NotificationText | null {
  if (data['kind'] !== undefined) return depositCreditedKind(data, w);
  const value = decimal(data['amount']);
  const currency = text(data['currency']);
  if (!value || !currency) return null;
  const amount = w.usd(value);
  const paidIn = currency.toUpperCase();
  return {
    title: $localize`Deposit credited: ${amount}:amount:`,
    body: $localize`Your deposit of ${amount}:amount: paid in ${paidIn}:currency: has been credited and is now available in your CryptoVault wallet.`,
  };
}

function depositCreditedKind(data: Fields, w: Words): NotificationText | null {
  const asset = text(data['asset']);
  const amountValue = decimal(data['amount']);
  const totalValue = decimal(data['total']);
  const expectedValue = decimal(data['expected']);
  if (!asset || !amountValue || !totalValue || !expectedValue) return null;
  const amount = w.money(amountValue, asset);
  const total = w.money(totalValue, asset);
  const expected = w.money(expectedValue, asset);
  switch (data['kind']) {
    case 'in_kind':
      return {
        title: $localize`Deposit credited: ${amount}:amount:`,
        body: $localize`Your deposit of ${amount}:amount: has been credited and is now available in your CryptoVault wallet.`,
      };
    case 'partial': {
      const currency = text(data['currency']);
      const title = $localize`Deposit partly paid: ${amount}:amount: credited`;
      if (asset === 'USD' && currency) {
        return {
          title,
          body: $localize`Your deposit of ${expected}:expected: in ${currency.toUpperCase()}:currency: was paid in part: ${total}:total: arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.`,
        };
      }
      return {
        title,
        body: $localize`Your deposit of ${expected}:expected: was paid in part: ${total}:total: arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.`,
      };
    }
    case 'remainder':
      return {
        title: $localize`Deposit credited: ${amount}:amount:`,
        body: $localize`The rest of your deposit of ${expected}:expected: arrived: ${amount}:amount: has been credited, ${total}:total: in all.`,
      };
    default:
      return null;
  }
}

// Withdrawals (wallet/withdrawals/withdrawals.service.ts): status, asset, amount; and, from this release on, fee,
// total, network, the address and its label, the transaction and the reason of a rejection.

function withdrawalUpdated(data: Fields, w: Words): NotificationText | null {
  const asset = text(data['asset']);
  const value = decimal(data['amount']);
  const address = text(data['address']);
  if (!asset || !value || !address || !has(data, 'addressLabel')) return null;
  const amount = w.money(value, asset);
  const label = text(data['addressLabel']);
  // Where it goes, as its owner knows it: “label” (address), or the label alone; the address when it has no label.
  const to = label ? $localize`:a saved withdrawal address, its name in quotes and then the address:“${label}:label:” (${address}:address:)` : address;
  const toShort = label ? $localize`:a saved withdrawal address by its name, in quotes:“${label}:label:”` : address;
  const feeValue = decimal(data['fee']);
  const totalValue = decimal(data['total']);
  const fee = feeValue ? w.money(feeValue, asset) : null;
  const total = totalValue ? w.money(totalValue, asset) : null;
  // A USD cash-out (API.md "USD cash-out") also carries the dollars it took: what comes back when it is not sent.
  const cashOutValue = decimal(data['cashOutUsd']);
  const usd = cashOutValue ? w.usd(cashOutValue) : null;
  switch (data['status']) {
    case 'pending': {
      const network = text(data['network']);
      if (!fee || !total || !network) return null;
      if (usd) {
        return {
          title: $localize`Cash-out requested: ${usd}:usd: as ${amount}:amount:`,
          body: $localize`We received your request to cash out ${usd}:usd:. It was converted to ${total}:converted: and ${amount}:amount: is sent (network fee ${fee}:fee:) to your saved address ${to}:address: on ${network}:network:. If it is not sent, the ${usd}:usd: comes back to your USD balance. If this was not you, cancel it and change your password now.`,
        };
      }
      return {
        title: $localize`Withdrawal requested: ${amount}:amount:`,
        body: $localize`We received your request to withdraw ${amount}:amount: (fee ${fee}:fee:) to your saved address ${to}:address: on ${network}:network:. ${total}:total: is held until it is sent. If this was not you, cancel it and change your password now.`,
      };
    }
    case 'cancelled':
      if (usd) {
        return {
          title: $localize`Withdrawal cancelled: ${amount}:amount:`,
          body: $localize`Your withdrawal of ${amount}:amount: to ${toShort}:address: was cancelled; ${usd}:usd: is available again in your USD balance.`,
        };
      }
      if (!total) return null;
      return {
        title: $localize`Withdrawal cancelled: ${amount}:amount:`,
        body: $localize`Your withdrawal of ${amount}:amount: to ${toShort}:address: was cancelled; ${total}:total: is available again.`,
      };
    case 'approved':
      return {
        title: $localize`Withdrawal approved: ${amount}:amount:`,
        body: $localize`Your withdrawal of ${amount}:amount: to ${to}:address: was approved and will be sent shortly.`,
      };
    case 'completed': {
      const tx = text(data['txHash']);
      if (!tx) return null;
      return {
        title: $localize`Withdrawal sent: ${amount}:amount:`,
        body: $localize`Your withdrawal of ${amount}:amount: to ${to}:address: was sent. Transaction: ${tx}:transaction:`,
      };
    }
    case 'rejected': {
      const reason = text(data['rejectReason']);
      if (usd && reason) {
        return {
          title: $localize`Withdrawal rejected: ${amount}:amount:`,
          body: $localize`Your withdrawal of ${amount}:amount: to ${toShort}:address: was rejected: ${reason}:reason:. ${usd}:usd: is available again in your USD balance.`,
        };
      }
      if (!total || !reason) return null;
      return {
        title: $localize`Withdrawal rejected: ${amount}:amount:`,
        body: $localize`Your withdrawal of ${amount}:amount: to ${toShort}:address: was rejected: ${reason}:reason:. ${total}:total: is available again.`,
      };
    }
    default:
      return null;
  }
}

// Security notices (auth/security/security-notices.service.ts, security-event-kinds.ts): the event's kind, and from
// this release on when it happened, the device and network it came from and the details the text quotes.

/** The notice's title and its first sentence, per kind of event. */
function securityEvent(kind: unknown): { title: string; summary: string } | null {
  switch (kind) {
    case 'signed_in':
      return {
        title: $localize`New sign-in to your account`,
        summary: $localize`Someone signed in to your account from a new device or network.`,
      };
    case 'login_locked':
      return {
        title: $localize`Sign-in locked after failed attempts`,
        summary: $localize`Too many wrong passwords or codes were entered at sign-in, so sign-in is locked for a while.`,
      };
    case 'password_changed':
      return { title: $localize`Your password was changed`, summary: $localize`The password of your account was changed.` };
    case 'password_reset':
      return { title: $localize`Your password was reset`, summary: $localize`The password of your account was reset with a link sent by email.` };
    case 'two_factor_enabled':
      return {
        title: $localize`Two-factor authentication turned on`,
        summary: $localize`An authenticator app was set up as the second factor of your account.`,
      };
    case 'two_factor_disabled':
      return { title: $localize`Two-factor authentication turned off`, summary: $localize`Two-factor authentication was turned off for your account.` };
    case 'backup_codes_regenerated':
      return {
        title: $localize`New backup codes were created`,
        summary: $localize`New two-factor backup codes were created; the old ones no longer work.`,
      };
    case 'account_frozen':
      return { title: $localize`Your account is frozen`, summary: $localize`Your account was frozen with a "This wasn't me" link.` };
    case 'account_unfrozen':
      return { title: $localize`Your account was unfrozen`, summary: $localize`Your account was unfrozen by a password reset.` };
    case 'email_change_requested':
      return { title: $localize`Email change requested`, summary: $localize`A change of the email address of your account was requested.` };
    case 'email_changed':
      return { title: $localize`Your email address was changed`, summary: $localize`The email address of your account was changed.` };
    case 'passkey_added':
      return { title: $localize`A passkey was added`, summary: $localize`A passkey was registered to your account.` };
    case 'passkey_removed':
      return { title: $localize`A passkey was removed`, summary: $localize`A passkey was removed from your account.` };
    case 'withdrawal_address_added':
      return { title: $localize`A withdrawal address was added`, summary: $localize`A new withdrawal address was added to your address book.` };
    case 'withdrawal_api_key_created':
      return {
        title: $localize`A withdrawal API key was created`,
        summary: $localize`An API key that can withdraw from your account was created.`,
      };
    case 'webhook_created':
      return {
        title: $localize`A webhook endpoint was added`,
        summary: $localize`A webhook endpoint was added to one of your API keys: the events it receives about your account are sent there.`,
      };
    default:
      return null;
  }
}

/** What a notice adds from the event's details, one sentence (as SECURITY_EVENT_TEXT's `detail`), or null. */
function securityDetail(kind: unknown, details: Fields, w: Words): string | null {
  switch (kind) {
    case 'login_locked': {
      const until = instant(details['until']);
      return until ? $localize`It works again from ${w.whenUp(until)}:when:.` : null;
    }
    case 'email_change_requested': {
      const email = text(details['newEmail']);
      return email ? $localize`The new address asked for is ${email}:email:; nothing changes unless the link sent there is used within 1 hour.` : null;
    }
    case 'email_changed': {
      const from = text(details['from']);
      const to = text(details['to']);
      return from && to
        ? $localize`It was ${from}:old: and is now ${to}:new:; every other session was signed out and withdrawals are on hold for a while.`
        : null;
    }
    case 'withdrawal_api_key_created': {
      const ip = text(details['ip']);
      const allowlist = text(details['ipAllowlist']);
      return ip && allowlist
        ? $localize`It was created from the IP address ${ip}:ip: and accepts requests from ${allowlist}:allowlist:; it sends only to confirmed addresses of your address book.`
        : null;
    }
    case 'webhook_created': {
      const origin = text(details['origin']);
      const events = text(details['events']);
      return origin && events ? $localize`It sends ${events}:events: to ${origin}:origin:.` : null;
    }
    default:
      return null;
  }
}

function securityNotice(data: Fields, w: Words): NotificationText | null {
  const event = securityEvent(data['event']);
  const at = instant(data['at']);
  if (!event || !at || !has(data, 'device') || !has(data, 'network')) return null;
  const detail = securityDetail(data['event'], fields(data['details']) ?? {}, w);
  const device = text(data['device']);
  const network = text(data['network']);
  const where = [device ? w.device(device) : null, network ? $localize`network ${network}:network:` : null].filter(Boolean).join(', ');
  const sentences = [
    event.summary,
    detail,
    $localize`When: ${w.when(at)}:when:.`,
    where ? $localize`From: ${where}:where:.` : null,
    $localize`If this wasn't you, use the "This wasn't me" link in the email we sent to freeze your account.`,
  ];
  return { title: event.title, body: sentences.filter(Boolean).join(' ') };
}

// Confirmation locks (auth/confirmations.service.ts): which lock, until when, after how many failures, for how
// long, and where the last attempt came from.

// "Download my data" (account/account-export.worker.ts): `expiresAt`, until when the export can be downloaded.

function accountExportReady(data: Fields, w: Words): NotificationText | null {
  const expiresAt = instant(data['expiresAt']);
  if (!expiresAt) return null;
  const until = w.whenUp(expiresAt);
  return {
    title: $localize`Your data export is ready`,
    body: $localize`The export of your data you asked for is ready. Download it under Settings > Your data until ${until}:until:.`,
  };
}

function confirmationsLocked(data: Fields, w: Words): NotificationText | null {
  const untilAt = instant(data['until']);
  const failures = count(data['failures']);
  const lockMs = count(data['lockMs']);
  if (!untilAt || failures === null || lockMs === null || !has(data, 'ip')) return null;
  const n = w.f.plain(failures, 0);
  const duration = w.duration(lockMs);
  const until = w.whenUp(untilAt);
  let locked: string;
  switch (`${data['scope']} ${failures === 1 ? 'one' : 'other'}`) {
    case 'account one':
      locked = $localize`1 two-factor code or password was entered wrongly, so we locked your account (every session) out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for ${duration}:duration: (until ${until}:until:).`;
      break;
    case 'account other':
      locked = $localize`${n}:count: two-factor codes or passwords were entered wrongly, so we locked your account (every session) out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for ${duration}:duration: (until ${until}:until:).`;
      break;
    case 'session one':
      locked = $localize`1 two-factor code or password was entered wrongly, so we locked one of your signed-in sessions out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for ${duration}:duration: (until ${until}:until:).`;
      break;
    case 'session other':
      locked = $localize`${n}:count: two-factor codes or passwords were entered wrongly, so we locked one of your signed-in sessions out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for ${duration}:duration: (until ${until}:until:).`;
      break;
    default:
      return null;
  }
  const ip = text(data['ip']);
  const device = text(data['device']);
  const from = ip
    ? device
      ? $localize`The last attempt came from IP ${ip}:ip: (${w.device(device)}:device:).`
      : $localize`The last attempt came from IP ${ip}:ip:.`
    : null;
  const sentences = [
    locked,
    from,
    $localize`If this was not you, someone may have access to a signed-in device: reset your password by email (this signs out every session) or sign out the sessions you do not recognise under Settings > Sessions. Both still work while the lock lasts.`,
  ];
  return { title: $localize`Security alert: too many wrong codes or passwords`, body: sentences.filter(Boolean).join(' ') };
}
