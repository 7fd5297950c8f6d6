import { clearTranslations, loadTranslations } from '@angular/localize';
import type { NotificationDto } from '../../api/models';
import { Formatter } from '../ui/format';
import de from '../../../locale/de.json';
import es from '../../../locale/es.json';
import { notificationText } from './notification-text';

/**
 * Notifications as the producers on the server store them (type, English title and body, data), rendered in the
 * customer's language from `type` + `data`; what the data does not carry falls back to the server's text.
 */

const en = new Formatter({ locale: 'en-US', timeZone: 'UTC' });
const deFormat = new Formatter({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
const esFormat = new Formatter({ locale: 'es-ES', timeZone: 'Europe/Madrid' });
/** ICU versions differ in which space they put before AM, "$" or "€"; compare the words. */
const words = (s: string): string => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const render = (n: Notice, f: Formatter) => {
  const t = notificationText(n, f);
  return { title: words(t.title), body: words(t.body) };
};

type Notice = Pick<NotificationDto, 'type' | 'title' | 'body' | 'data' | 'createdAt'>;

const CREATED = '2026-12-03T10:05:30.000Z';
const notice = (type: string, title: string, body: string, data: Record<string, unknown>): Notice => ({
  type: type as Notice['type'],
  title,
  body,
  data,
  createdAt: CREATED,
});

const order = (over: Record<string, unknown>) => ({
  id: '5b0e6a1e-2f0c-4c1e-9d7e-0a2b9c1d3e4f',
  symbol: 'BTC',
  side: 'buy',
  type: 'limit',
  status: 'filled',
  quantity: '0.00100000',
  quoteAmount: '99.00',
  limitPrice: '100000.00',
  stopPrice: null,
  filledPrice: '99000.00',
  fee: '0.099',
  feeAsset: 'USD',
  createdAt: '2026-12-03T09:00:00.000Z',
  filledAt: CREATED,
  ...over,
});

// orders/order-notifications.ts
const filled = notice('order_filled', 'Your limit buy of BTC filled', 'Your limit buy of 0.001 BTC filled at $99,000.00 for $99.00 (fee $0.10).', {
  order: order({}),
});
const filledSell = notice(
  'order_filled',
  'Your stop sell of BTC filled',
  'Your stop sell of ≈0.00960732 BTC filled at $104,087.19 for $1,000.00 (fee $1.00).',
  { order: order({ side: 'sell', type: 'stop', quantity: '0.009607329703437802', filledPrice: '104087.19497179', quoteAmount: '1000.00', fee: '1.00' }) },
);
const rejected = notice(
  'order_cancelled',
  'Your stop buy of ETH was rejected',
  'Your stop buy of 0.5 ETH reached its trigger but the balance did not cover it; the reserved funds are available again.',
  { order: order({ symbol: 'ETH', type: 'stop', status: 'rejected', quantity: '0.50000000', filledPrice: null, quoteAmount: null, fee: null }), reason: 'rejected' },
);

// alerts/alert-trigger.service.ts
const alert = (condition: 'above' | 'below', targetPrice: string, triggeredPrice: string) => ({
  alert: {
    id: '3368c688-8729-47f9-8e97-c029492a77b3',
    symbol: 'BTC',
    condition,
    targetPrice,
    notifyEmail: false,
    notifyPush: true,
    active: false,
    triggeredAt: '2026-12-03T10:05:12.345Z',
    triggeredPrice,
    createdAt: '2026-12-03T09:00:00.000Z',
    updatedAt: '2026-12-03T10:05:12.345Z',
  },
});
const alertAbove = notice(
  'alert_triggered',
  'BTC is above $70,000.00',
  'Your alert “BTC above $70,000.00” fired: BTC traded at $70,012.34 on Dec 3, 2026, 10:05 UTC.',
  alert('above', '70000.00000000', '70012.34000000'),
);
const alertBelow = notice(
  'alert_triggered',
  'BTC is below $0.50',
  'Your alert “BTC below $0.50” fired: BTC traded at $0.4998 on Dec 3, 2026, 10:05 UTC.',
  alert('below', '0.50000000', '0.49980000'),
);

// Alerts on a 24 h move and repeating alerts (issue 18): `kind`, `movePct`, `triggeredChange`, `cooldownSeconds`, `rearmAt`.
const alertMove = notice(
  'alert_triggered',
  'BTC is down 6.25% in 24 hours',
  'Your alert “BTC down 5.00% in 24 hours” fired: BTC traded at $60,000.00, -6.25% in 24 hours, on Dec 3, 2026, 10:05 UTC. It is armed again from Dec 4, 2026, 10:06 UTC.',
  {
    alert: {
      ...alert('below', '0', '60000.00000000').alert,
      kind: 'move',
      condition: 'down',
      targetPrice: null,
      movePct: '5.00',
      triggeredChange: '-6.2500',
      cooldownSeconds: 86400,
      active: true,
      rearmAt: '2026-12-04T10:05:12.345Z',
    },
  },
);
const alertRepeat = notice(
  'alert_triggered',
  'BTC is above $70,000.00',
  'Your alert “BTC above $70,000.00” fired: BTC traded at $70,012.34 on Dec 3, 2026, 10:05 UTC. It is armed again from Dec 3, 2026, 11:06 UTC.',
  { alert: { ...alert('above', '70000.00000000', '70012.34000000').alert, kind: 'price', cooldownSeconds: 3600, active: true, rearmAt: '2026-12-03T11:05:12.345Z' } },
);

// wallet/deposits/deposits.service.ts
const deposit = notice(
  'deposit_credited',
  'Deposit credited: $2,500.00',
  'Your deposit of $2,500.00 paid in BTC has been credited and is now available in your CryptoVault wallet.',
  { orderId: '53ca2129-e171-467e-b1e7-d5e876a2cb1a', amount: '2500.00', currency: 'btc', provider: 'sandbox' },
);
// wallet/deposits/deposit-terms.ts (creditWords): deposits credited in kind, in part, and the rest of one
const depositData = (kind: string, asset: string, amount: string, total: string, expected: string, currency = asset.toLowerCase()) => ({
  orderId: '53ca2129-e171-467e-b1e7-d5e876a2cb1a',
  provider: 'nowpayments',
  kind,
  asset,
  amount,
  total,
  expected,
  currency,
});
const depositInKind = notice(
  'deposit_credited',
  'Deposit credited: 0.05 BTC',
  'Your deposit of 0.05 BTC has been credited and is now available in your CryptoVault wallet.',
  depositData('in_kind', 'BTC', '0.05000000', '0.05000000', '0.05000000'),
);
const depositPartial = notice(
  'deposit_credited',
  'Deposit partly paid: 0.02 BTC credited',
  'Your deposit of 0.05 BTC was paid in part: 0.02 BTC arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.',
  depositData('partial', 'BTC', '0.02000000', '0.02000000', '0.05000000'),
);
const depositPartialUsd = notice(
  'deposit_credited',
  'Deposit partly paid: $1,050.50 credited',
  'Your deposit of $2,000.00 in USDT was paid in part: $1,050.50 arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.',
  depositData('partial', 'USD', '1050.50', '1050.50', '2000.00', 'usdt'),
);
const depositRemainder = notice(
  'deposit_credited',
  'Deposit credited: 0.03 BTC',
  'The rest of your deposit of 0.05 BTC arrived: 0.03 BTC has been credited, 0.05 BTC in all.',
  depositData('remainder', 'BTC', '0.03000000', '0.05000000', '0.05000000'),
);
const depositKinds = [depositInKind, depositPartial, depositPartialUsd, depositRemainder];

// wallet/withdrawals/withdrawals.service.ts
const withdrawal = (status: string, over: Record<string, unknown> = {}) => ({
  withdrawalId: '14c30e0e-e573-406c-a023-ee0b8b8ff155',
  status,
  asset: 'BTC',
  amount: '0.00200000',
  fee: '0.00010000',
  total: '0.00210000',
  network: 'bitcoin',
  address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  addressLabel: 'Cold storage',
  txHash: null,
  rejectReason: null,
  ...over,
});
const ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const TX = 'b'.repeat(64);
const withdrawals = {
  pending: notice(
    'withdrawal_updated',
    'Withdrawal requested: 0.002 BTC',
    `We received your request to withdraw 0.002 BTC (fee 0.0001 BTC) to your saved address “Cold storage” (${ADDRESS}) on bitcoin. 0.0021 BTC is held until it is sent. If this was not you, cancel it and change your password now.`,
    withdrawal('pending'),
  ),
  cancelled: notice(
    'withdrawal_updated',
    'Withdrawal cancelled: 0.002 BTC',
    'Your withdrawal of 0.002 BTC to “Cold storage” was cancelled; 0.0021 BTC is available again.',
    withdrawal('cancelled'),
  ),
  approved: notice(
    'withdrawal_updated',
    'Withdrawal approved: 0.002 BTC',
    `Your withdrawal of 0.002 BTC to ${ADDRESS} was approved and will be sent shortly.`,
    withdrawal('approved', { addressLabel: null }),
  ),
  completed: notice(
    'withdrawal_updated',
    'Withdrawal sent: 0.002 BTC',
    `Your withdrawal of 0.002 BTC to “Cold storage” (${ADDRESS}) was sent. Transaction: ${TX}`,
    withdrawal('completed', { txHash: TX }),
  ),
  rejected: notice(
    'withdrawal_updated',
    'Withdrawal rejected: 0.002 BTC',
    'Your withdrawal of 0.002 BTC to “Cold storage” was rejected: Address flagged by compliance. 0.0021 BTC is available again.',
    withdrawal('rejected', { rejectReason: 'Address flagged by compliance' }),
  ),
};

// auth/security/security-notices.service.ts
const CLOSING = 'If this wasn\'t you, use the "This wasn\'t me" link in the email we sent to freeze your account.';
const security = (event: string, title: string, body: string, over: Record<string, unknown> = {}) =>
  notice('notification', title, `${body} ${CLOSING}`, {
    kind: 'security_event',
    event,
    eventId: '9d1b5e0c-6a7f-4d8e-8c1a-2b3c4d5e6f70',
    at: '2026-12-03T10:05:29.000Z',
    device: 'Chrome on Linux',
    network: '203.0.113.0/24',
    details: {},
    ...over,
  });
const signIn = security(
  'signed_in',
  'New sign-in to your account',
  'Someone signed in to your account from a new device or network. When: Dec 3, 2026, 10:05 UTC. From: Chrome on Linux, network 203.0.113.0/24.',
);
const loginLocked = security(
  'login_locked',
  'Sign-in locked after failed attempts',
  'Too many wrong passwords or codes were entered at sign-in, so sign-in is locked for a while. It works again from Dec 3, 2026, 10:21 UTC. When: Dec 3, 2026, 10:05 UTC. From: an unrecognised browser or app.',
  { device: 'an unrecognised browser or app', network: null, details: { until: '2026-12-03T10:20:29.500Z' } },
);
const emailChange = security(
  'email_change_requested',
  'Email change requested',
  'A change of the email address of your account was requested. The new address asked for is new@example.com; nothing changes unless the link sent there is used within 1 hour. When: Dec 3, 2026, 10:05 UTC. From: Chrome on Linux, network 203.0.113.0/24.',
  { details: { newEmail: 'new@example.com' } },
);
const passkeyAdded = security(
  'passkey_added',
  'A passkey was added',
  'A passkey was registered to your account. When: Dec 3, 2026, 10:05 UTC.',
  { device: null, network: null },
);
const withdrawalKeyCreated = security(
  'withdrawal_api_key_created',
  'A withdrawal API key was created',
  'An API key that can withdraw from your account was created. It was created from the IP address 203.0.113.7 and accepts requests from 198.51.100.0/24, 198.51.100.9/32; it sends only to confirmed addresses of your address book. When: Dec 3, 2026, 10:05 UTC. From: Chrome on Linux, network 203.0.113.0/24.',
  { details: { ip: '203.0.113.7', ipAllowlist: '198.51.100.0/24, 198.51.100.9/32' } },
);
const webhookCreated = security(
  'webhook_created',
  'A webhook endpoint was added',
  'A webhook endpoint was added to one of your API keys: the events it receives about your account are sent there. It sends order.filled, deposit.credited to https://bot.example.com. When: Dec 3, 2026, 10:05 UTC. From: Chrome on Linux, network 203.0.113.0/24.',
  { details: { origin: 'https://bot.example.com', events: 'order.filled, deposit.credited' } },
);

// auth/confirmations.service.ts
const LOCK_CLOSING =
  'If this was not you, someone may have access to a signed-in device: reset your password by email (this signs out every session) or sign out the sessions you do not recognise under Settings > Sessions. Both still work while the lock lasts.';
const locked = notice(
  'notification',
  'Security alert: too many wrong codes or passwords',
  `10 two-factor codes or passwords were entered wrongly, so we locked your account (every session) out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for 15 minutes (until Dec 3, 2026, 10:21 UTC). The last attempt came from IP 203.0.113.7 (Firefox on Windows).\n\n${LOCK_CLOSING}`,
  { kind: 'confirmations_locked', scope: 'account', until: '2026-12-03T10:20:30.250Z', failures: 10, lockMs: 900_000, ip: '203.0.113.7', device: 'Firefox on Windows' },
);
const lockedSession = notice(
  'notification',
  'Security alert: too many wrong codes or passwords',
  `5 two-factor codes or passwords were entered wrongly, so we locked one of your signed-in sessions out of withdrawals and security changes (step-up confirmations: two-factor, password and email changes) for 1 hour and 30 minutes (until Dec 3, 2026, 11:36 UTC).\n\n${LOCK_CLOSING}`,
  { kind: 'confirmations_locked', scope: 'session', until: '2026-12-03T11:35:30.250Z', failures: 5, lockMs: 5_400_000, ip: null, device: null },
);

const SECURITY_EVENTS = [
  'signed_in',
  'login_locked',
  'password_changed',
  'password_reset',
  'two_factor_enabled',
  'two_factor_disabled',
  'backup_codes_regenerated',
  'account_frozen',
  'account_unfrozen',
  'email_change_requested',
  'email_changed',
  'passkey_added',
  'passkey_removed',
  'withdrawal_address_added',
  'withdrawal_api_key_created',
  'webhook_created',
];

/** English words a German or Spanish text never has ("was" is German too), and what a missing value would show. */
const ENGLISH_OR_BROKEN = /\b(Your|were|the|and|of|If|filled|withdrawal|deposit)\b|undefined|null|NaN|—/;

/** Every notification the server writes, once. */
const ALL: Notice[] = [
  filled,
  filledSell,
  rejected,
  alertAbove,
  alertBelow,
  alertMove,
  alertRepeat,
  deposit,
  ...depositKinds,
  ...Object.values(withdrawals),
  ...SECURITY_EVENTS.map((e) =>
    security(e, 'x', 'x', {
      details: { until: CREATED, newEmail: 'a@example.com', from: 'a@example.com', to: 'b@example.com', ip: '203.0.113.7', ipAllowlist: '203.0.113.0/24' },
    }),
  ),
  locked,
  lockedSession,
];

// recurring-buys/recurring-buy-notifications.ts
const recurring = { id: 'r1', symbol: 'BTC', quoteAmount: '25.00', frequency: 'weekly', nextRunAt: '2026-12-10T10:05:00.000Z' };
const recurringFilled = notice('order_filled', 'Your recurring buy of BTC filled', 'Your weekly buy of $25.00 of BTC bought 0.00024975 BTC at $100,000.00 (fee $0.03).', {
  kind: 'recurring_buy_filled',
  recurringBuy: recurring,
  run: { status: 'filled' },
  order: order({ type: 'market', quantity: '0.00024975', filledPrice: '100000', fee: '0.025', quoteAmount: '25.00' }),
});
const recurringSkipped = notice(
  'notification',
  'Your recurring buy of BTC was skipped',
  'Your weekly buy of $25.00 of BTC was skipped: your available USD balance did not cover it. Add funds to keep it running. The next one runs on Dec 10, 2026, 10:05 UTC.',
  { kind: 'recurring_buy_skipped', recurringBuy: recurring, run: { status: 'skipped', reasonCode: 'INSUFFICIENT_FUNDS' } },
);

describe('recurring buys', () => {
  afterEach(() => clearTranslations());

  it('writes a filled and a short-funds run in English as the server does, and in German', () => {
    expect(render(recurringFilled, en)).toEqual({ title: 'Your recurring buy of BTC filled', body: 'Your weekly buy of $25.00 of BTC bought 0.00024975 BTC at $100,000.00 (fee $0.03).' });
    expect(render(recurringSkipped, en).body).toBe(
      'Your weekly buy of $25.00 of BTC was skipped: your available USD balance did not cover it. Add funds to keep it running. The next one runs on Dec 10, 2026, 10:05 AM.',
    );
    loadTranslations(de.translations);
    expect(render(recurringFilled, deFormat)).toEqual({
      title: 'Ihr Sparplan für BTC wurde ausgeführt',
      body: 'Ihr wöchentlicher Kauf von BTC für 25,00 $ hat 0,00024975 BTC zu 100.000,00 $ gekauft (Gebühr 0,03 $).',
    });
    expect(render(recurringSkipped, deFormat).title).toBe('Ein Kauf Ihres Sparplans für BTC wurde übersprungen');
    // A reason this client does not know (a newer server's) is the server's words, whole.
    const unknown = { ...recurringSkipped, data: { ...recurringSkipped.data, run: { status: 'skipped', reasonCode: 'SOMETHING_NEW' } } };
    expect(render(unknown, deFormat)).toEqual({ title: 'Your recurring buy of BTC was skipped', body: recurringSkipped.body });
  });

  it('writes a run skipped for another reason, and one that failed with its cause, in the reader’s language', () => {
    const suspended = notice(
      'notification',
      'Your recurring buy of BTC was skipped',
      'Your weekly buy of $25.00 of BTC was skipped: your account is suspended. The next one runs on Dec 10, 2026, 10:05 UTC.',
      { kind: 'recurring_buy_skipped', recurringBuy: recurring, run: { status: 'skipped', reasonCode: 'ACCOUNT_SUSPENDED' } },
    );
    const busy = notice(
      'notification',
      'Your recurring buy of BTC did not run',
      'Your weekly buy of $25.00 of BTC could not run: the service was too busy to place it (5 attempts). Nothing was bought. The next one runs on Dec 10, 2026, 10:05 UTC.',
      { kind: 'recurring_buy_failed', recurringBuy: recurring, run: { status: 'failed', reasonCode: 'DATABASE_BUSY' } },
    );
    expect(render(suspended, en)).toEqual({
      title: 'Your recurring buy of BTC was skipped',
      body: 'Your weekly buy of $25.00 of BTC was skipped. Reason: Your account is suspended. The next one runs on Dec 10, 2026, 10:05 AM.',
    });
    expect(render(busy, en)).toEqual({
      title: 'Your recurring buy of BTC did not run',
      body: 'Your weekly buy of $25.00 of BTC could not run. Reason: The service was too busy to place it. Nothing was bought. The next one runs on Dec 10, 2026, 10:05 AM.',
    });
    for (const [lang, format] of [
      [de, deFormat],
      [es, new Formatter({ locale: 'es-ES', timeZone: 'Europe/Madrid' })],
    ] as const) {
      loadTranslations(lang.translations);
      for (const n of [suspended, busy]) {
        const t = render(n, format);
        expect(`${t.title} ${t.body}`).not.toMatch(ENGLISH_OR_BROKEN);
        expect(t.body).toContain('BTC');
      }
      clearTranslations();
    }
    loadTranslations(de.translations);
    expect(render(busy, deFormat).title).toBe('Ihr Sparplan für BTC wurde nicht ausgeführt');
  });
});

describe('notificationText in English', () => {
  it('says what the server says, written by the client (dates in the reader’s locale and time zone)', () => {
    for (const n of [filled, filledSell, rejected, alertAbove, alertBelow, alertMove, alertRepeat, deposit, ...depositKinds, ...Object.values(withdrawals), signIn, loginLocked, emailChange, passkeyAdded, withdrawalKeyCreated, webhookCreated]) {
      const t = render(n, en);
      // The server writes "Dec 3, 2026, 10:05 UTC"; the client writes the reader's time ("10:05 AM" here, in UTC).
      const server = (s: string) => words(s.replace(/(\w{3} \d+, \d{4}), (\d{2}):(\d{2}) UTC/g, (_m, day: string, h: string, m: string) => `${day}, ${Number(h) % 12 || 12}:${m} ${Number(h) < 12 ? 'AM' : 'PM'}`));
      expect(t).toEqual({ title: server(n.title), body: server(n.body) });
    }
  });

  it('writes confirmation locks as the server does, durations in words and the lock’s end rounded up to the minute', () => {
    expect(render(locked, en)).toEqual({
      title: 'Security alert: too many wrong codes or passwords',
      body: words(locked.body.replace('10:21 UTC', '10:21 AM')),
    });
    expect(render(lockedSession, en).body).toBe(words(lockedSession.body.replace('11:36 UTC', '11:36 AM')));
  });

  it('falls back to the server’s text, figures formatted, when the data lacks what the message needs', () => {
    // A row of an earlier release: withdrawals then carried only the status and amount, and the text the withdrawal's id.
    const old = notice(
      'withdrawal_updated',
      'Withdrawal approved: 0.00200000 BTC',
      'Your withdrawal 14c30e0e-e573-406c-a023-ee0b8b8ff155 of 0.00200000 BTC to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq was approved and will be sent shortly.',
      { asset: 'BTC', amount: '0.00200000', status: 'approved', withdrawalId: '14c30e0e-e573-406c-a023-ee0b8b8ff155' },
    );
    expect(render(old, en)).toEqual({
      title: 'Withdrawal approved: 0.002 BTC',
      body: `Your withdrawal of 0.002 BTC to ${ADDRESS} was approved and will be sent shortly.`,
    });
    // No data at all, an unknown type, a figure that is not a decimal: the server's words.
    expect(render(notice('deposit_credited', 'Deposit credited: 5000.00 USD', 'Your deposit paid in BTC has been credited.', {}), en)).toEqual({
      title: 'Deposit credited: $5,000.00',
      body: 'Your deposit paid in BTC has been credited.',
    });
    expect(render(notice('something_new', 'Something new', 'A thing happened.', { kind: 'x' }), en)).toEqual({ title: 'Something new', body: 'A thing happened.' });
    // A deposit of a kind this client does not know, or one whose figures are missing: the server's words.
    expect(render(notice('deposit_credited', 'Deposit refunded', 'It went back.', { ...depositData('refund', 'BTC', '1', '1', '1') }), en)).toEqual({
      title: 'Deposit refunded',
      body: 'It went back.',
    });
    expect(render(notice('deposit_credited', 'Deposit partly paid', 'Some arrived.', { kind: 'partial', asset: 'BTC', amount: '0.02' }), en)).toEqual({
      title: 'Deposit partly paid',
      body: 'Some arrived.',
    });
    expect(render(notice('deposit_credited', 'Deposit credited', 'Paid.', { amount: '1e3', currency: 'btc' }), en)).toEqual({ title: 'Deposit credited', body: 'Paid.' });
    expect(render(notice('notification', 'Heads up', 'Read this.', { kind: 'security_event', event: 'new_kind', at: CREATED, device: null, network: null }), en)).toEqual({
      title: 'Heads up',
      body: 'Read this.',
    });
    // A kind of fill this client does not write (another producer's, with its own words): the server's text.
    const otherFill = notice('order_filled', 'Your recurring buy of BTC filled', 'Your daily buy of $10.00 of BTC bought 0.0001 BTC at $99,000.00.', {
      kind: 'recurring_buy_filled',
      order: order({ type: 'market' }),
    });
    expect(render(otherFill, en)).toEqual({ title: otherFill.title, body: otherFill.body });
    // Nothing at all to show: a title still says what kind of news it is.
    expect(notificationText(notice('order_filled', '', '', {}), en).title).toBe('An order filled');
  });
});

describe('notificationText in German', () => {
  beforeAll(() => loadTranslations(de.translations));
  afterAll(() => clearTranslations());

  it('writes every kind of notification in German, with German figures and dates', () => {
    expect(render(filled, deFormat)).toEqual({
      title: 'Ihr Limit-Kauf von BTC wurde ausgeführt',
      body: 'Ihr Limit-Kauf von 0,001 BTC im Wert von 99,00 $ wurde zu 99.000,00 $ ausgeführt (Gebühr 0,10 $).',
    });
    expect(render(filledSell, deFormat).body).toBe('Ihr Stop-Verkauf von ≈0,00960732 BTC im Wert von 1.000,00 $ wurde zu 104.087,19 $ ausgeführt (Gebühr 1,00 $).');
    expect(render(rejected, deFormat)).toEqual({
      title: 'Ihr Stop-Kauf von ETH wurde abgelehnt',
      body: 'Ihr Stop-Kauf von 0,5 ETH hat seinen Auslösepreis erreicht, aber Ihr Guthaben reichte nicht aus; die reservierten Mittel sind wieder verfügbar.',
    });
    expect(render(alertAbove, deFormat)).toEqual({
      title: 'BTC liegt über 70.000,00 $',
      body: 'Ihr Alarm „BTC über 70.000,00 $“ wurde ausgelöst: BTC wurde am 03.12.2026, 11:05 zu 70.012,34 $ gehandelt.',
    });
    expect(render(alertBelow, deFormat).title).toBe('BTC liegt unter 0,50 $');
    expect(render(alertMove, deFormat)).toEqual({
      title: 'BTC ist in 24 Stunden um 6,25 % gefallen',
      body: 'Ihr Alarm „BTC in 24 Stunden um 5,00 % gefallen“ wurde ausgelöst: BTC wurde am 03.12.2026, 11:05 zu 60.000,00 $ gehandelt (-6,25 % in 24 Stunden). Er ist ab dem 04.12.2026, 11:06 wieder aktiv.',
    });
    expect(render(deposit, deFormat)).toEqual({
      title: 'Einzahlung gutgeschrieben: 2.500,00 $',
      body: 'Ihre Einzahlung von 2.500,00 $, bezahlt in BTC, wurde gutgeschrieben und ist jetzt in Ihrer CryptoVault-Wallet verfügbar.',
    });
    expect(render(depositInKind, deFormat).title).toBe('Einzahlung gutgeschrieben: 0,05 BTC');
    expect(render(depositPartial, deFormat).title).toMatch(/0,02 BTC/);
    expect(render(depositPartialUsd, deFormat).body).toMatch(/2\.000,00 \$.*USDT.*1\.050,50 \$/);
    expect(render(depositRemainder, deFormat).body).toMatch(/0,05 BTC.*0,03 BTC.*0,05 BTC/);
    expect(render(withdrawals.pending, deFormat)).toEqual({
      title: 'Auszahlung beantragt: 0,002 BTC',
      body: `Wir haben Ihren Antrag erhalten, 0,002 BTC (Gebühr 0,0001 BTC) an Ihre gespeicherte Adresse „Cold storage“ (${ADDRESS}) im Netzwerk bitcoin auszuzahlen. Wir halten 0,0021 BTC bis zum Versand zurück. Wenn Sie das nicht waren, stornieren Sie die Auszahlung und ändern Sie sofort Ihr Passwort.`,
    });
    expect(render(withdrawals.cancelled, deFormat)).toEqual({
      title: 'Auszahlung storniert: 0,002 BTC',
      body: 'Ihre Auszahlung von 0,002 BTC an „Cold storage“ wurde storniert; Ihnen stehen wieder 0,0021 BTC zur Verfügung.',
    });
    expect(render(withdrawals.approved, deFormat)).toEqual({
      title: 'Auszahlung genehmigt: 0,002 BTC',
      body: `Ihre Auszahlung von 0,002 BTC an ${ADDRESS} wurde genehmigt und wird in Kürze gesendet.`,
    });
    expect(render(withdrawals.completed, deFormat)).toEqual({
      title: 'Auszahlung gesendet: 0,002 BTC',
      body: `Ihre Auszahlung von 0,002 BTC an „Cold storage“ (${ADDRESS}) wurde gesendet. Transaktion: ${TX}`,
    });
    expect(render(withdrawals.rejected, deFormat)).toEqual({
      title: 'Auszahlung abgelehnt: 0,002 BTC',
      body: 'Ihre Auszahlung von 0,002 BTC an „Cold storage“ wurde abgelehnt: Address flagged by compliance. Ihnen stehen wieder 0,0021 BTC zur Verfügung.',
    });
    expect(render(signIn, deFormat)).toEqual({
      title: 'Neue Anmeldung bei Ihrem Konto',
      body:
        'Jemand hat sich von einem neuen Gerät oder Netzwerk aus bei Ihrem Konto angemeldet. Zeitpunkt: 03.12.2026, 11:05. Herkunft: Chrome unter Linux, Netzwerk 203.0.113.0/24. ' +
        'Wenn Sie das nicht waren, frieren Sie Ihr Konto über den Link „Das war ich nicht“ in der E-Mail ein, die wir Ihnen gesendet haben.',
    });
    expect(render(loginLocked, deFormat).body).toContain(
      'Ab 03.12.2026, 11:21 ist sie wieder möglich. Zeitpunkt: 03.12.2026, 11:05. Herkunft: ein unbekannter Browser oder eine unbekannte App.',
    );
    expect(render(emailChange, deFormat).body).toContain('Die gewünschte neue Adresse ist new@example.com;');
    expect(render(locked, deFormat)).toEqual({
      title: 'Sicherheitswarnung: zu viele falsche Codes oder Passwörter',
      body:
        '10 Zwei-Faktor-Codes oder Passwörter wurden falsch eingegeben, daher haben wir für Ihr Konto (alle Sitzungen) Auszahlungen und Sicherheitsänderungen (alles, was eine zusätzliche Bestätigung erfordert: Änderungen an Zwei-Faktor-Authentifizierung, Passwort und E-Mail-Adresse) für 15 Minuten gesperrt (bis 03.12.2026, 11:21). ' +
        'Der letzte Versuch kam von der IP-Adresse 203.0.113.7 (Firefox unter Windows). ' +
        'Wenn Sie das nicht waren, hat womöglich jemand Zugriff auf ein angemeldetes Gerät: Setzen Sie Ihr Passwort per E-Mail zurück (damit werden alle Sitzungen abgemeldet) oder melden Sie unter Einstellungen > Aktive Sitzungen die Sitzungen ab, die Sie nicht kennen. Beides funktioniert auch während der Sperre.',
    });
    expect(render(lockedSession, deFormat).body).toContain('für eine Ihrer angemeldeten Sitzungen');
    expect(render(lockedSession, deFormat).body).toContain('für 1 Stunde und 30 Minuten gesperrt (bis 03.12.2026, 12:36)');
  });

  it('has a German title and body for every type the server produces, with no English left', () => {
    for (const n of ALL) {
      const t = render(n, deFormat);
      expect(t.title).not.toBe('');
      expect(t.body).not.toBe('');
      expect(t.title).not.toBe(words(n.title));
      expect(`${t.title} ${t.body}`).not.toMatch(ENGLISH_OR_BROKEN);
    }
  });

  it('falls back to the server’s English, figures in German, for a row without the data', () => {
    const old = notice('deposit_credited', 'Deposit credited: 5000.00 USD', 'Your deposit paid in BTC has been credited: 5000.00 USD is now available.', {});
    expect(render(old, deFormat)).toEqual({
      title: 'Deposit credited: 5.000,00 $',
      body: 'Your deposit paid in BTC has been credited: 5.000,00 $ is now available.',
    });
    expect(notificationText(notice('withdrawal_updated', '', '', {}), deFormat).title).toBe('Der Status einer Auszahlung hat sich geändert');
  });
});

describe('notificationText in Spanish', () => {
  beforeAll(() => loadTranslations(es.translations));
  afterAll(() => clearTranslations());

  it('writes notifications in Spanish, with Spanish figures', () => {
    expect(render(filled, esFormat)).toEqual({
      title: 'Tu compra limitada de BTC se ha ejecutado',
      body: 'Tu compra limitada de 0,001 BTC se ha ejecutado a 99.000,00 US$ por 99,00 US$ (comisión 0,10 US$).',
    });
    expect(render(withdrawals.rejected, esFormat).body).toBe(
      'Tu retirada de 0,002 BTC a «Cold storage» ha sido rechazada: Address flagged by compliance. 0,0021 BTC vuelve a estar disponible.',
    );
    for (const n of ALL) {
      const t = render(n, esFormat);
      expect(t.title).not.toBe(words(n.title));
      expect(`${t.title} ${t.body}`).not.toMatch(ENGLISH_OR_BROKEN);
    }
  });
});
