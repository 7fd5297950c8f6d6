import { TestBed } from '@angular/core/testing';
import type { AddressBookDto, CashOutQuoteDto, WithdrawalDto, WithdrawalRulesDto } from '../../api/models';
import { apiError, choose, click, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { notificationText } from '../../core/notifications/notification-text';
import { Formatter } from '../../core/ui/format';
import { WalletPage } from './wallet.page';

const wallet = {
  balances: [
    { asset: 'USD', available: '500.00', locked: '0.00', total: '500.00', usdValue: '500.00' },
    { asset: 'BTC', available: '0.02', locked: '0', total: '0.02', usdValue: '1000.00' },
  ],
  totalUsd: '1500.00',
  updatedAt: null,
};
const evm = { addressHint: '0x followed by 40 hex digits', explorerTxUrl: 'https://etherscan.io/tx/{hash}' };
const rules: WithdrawalRulesDto = {
  assets: [
    {
      asset: 'USDT',
      minimum: '10',
      fee: '2.5',
      decimals: 8,
      networks: [
        { name: 'ethereum', isDefault: true, ...evm },
        { name: 'tron', addressHint: 'a base58check Tron address starting with T', isDefault: false, explorerTxUrl: 'https://tronscan.org/#/transaction/{hash}' },
      ],
    },
    { asset: 'USDC', minimum: '10', fee: '2.5', decimals: 8, networks: [{ name: 'ethereum', isDefault: true, ...evm }] },
  ],
  dailyLimitUsd: '50000',
  dailyRemainingUsd: '49500.00',
  dualApprovalUsd: '5000',
};
const saved = (over: Partial<AddressBookDto['items'][number]>) => ({
  id: 'a-tron', label: 'Tron wallet', asset: 'USDT', network: 'tron' as const, address: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', status: 'usable' as const,
  createdAt: '2026-11-27T10:00:00Z', confirmedAt: '2026-11-27T10:05:00Z', usableFrom: '2026-11-28T10:05:00Z', removedAt: null, ...over,
});
const book: AddressBookDto = {
  items: [saved({}), saved({ id: 'a-usdc', label: 'Ledger', asset: 'USDC', network: 'ethereum', address: '0x52908400098527886E0F7030069857D2E4169EE7' })],
  lock: { enabled: false, disablesAt: null },
  maxAddresses: 20,
  holdSeconds: 86400,
};
const quote = (patch: Partial<CashOutQuoteDto> = {}): CashOutQuoteDto => ({
  id: 'q1', usdAmount: '100.00', conversionFee: '0.0999001', asset: 'USDT', network: 'tron', price: '1.0002', rate: '0.9998000399920016',
  converted: '99.88012387', networkFee: '2.50000000', receive: '97.38012387', createdAt: '2026-12-03T10:00:00.000Z',
  expiresAt: '2026-12-03T10:00:10.000Z', validForMs: 10_000, ...patch,
});
const withdrawal: WithdrawalDto = {
  id: 'w1', asset: 'USDT', network: 'tron', address: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', addressId: 'a-tron', addressLabel: 'Tron wallet',
  amount: '97.38012387', fee: '2.50000000', total: '99.88012387', usdValue: '100.00', status: 'pending', approvals: 0, requiredApprovals: 1,
  txHash: null, explorerUrl: null, rejectReason: null, createdAt: '2026-12-03T10:00:02Z', updatedAt: '2026-12-03T10:00:02Z', completedAt: null,
  cashOut: { usdAmount: '100.00', conversionFee: '0.0999001', price: '1.0002', quoteId: 'q1' },
};

async function openCashOut(twoFactorEnabled = true) {
  const http = await setUpApp({ user: { twoFactorEnabled } });
  const fixture = TestBed.createComponent(WalletPage);
  const el = fixture.nativeElement as HTMLElement;
  await settle(fixture);
  http.expectOne('/api/wallet/balance').flush({ wallet });
  http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
  if (twoFactorEnabled) {
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    http.expectOne('/api/wallet/addresses').flush(book);
  }
  await settle(fixture);
  el.querySelector<HTMLElement>('[data-testid=withdraw-mode-cash-out] button')!.click();
  await settle(fixture);
  if (twoFactorEnabled) http.expectOne('/api/wallet/addresses').flush(book);
  await settle(fixture);
  return { http, fixture, el };
}

const form = (el: HTMLElement) => el.querySelector<HTMLFormElement>('cv-cash-out-form form')!;
const review = (el: HTMLElement) =>
  [...el.querySelectorAll('[data-testid=cash-out-quote] dt')].map((dt) => `${dt.textContent!.trim()}: ${dt.nextElementSibling!.textContent!.replace(/\s+/g, ' ').trim()}`);

describe('Cash out USD', () => {
  it('says there are no bank transfers, quotes the dollars on a network with a usable address, counts down and confirms with a code', async () => {
    const { http, fixture, el } = await openCashOut();
    expect(el.querySelector('[data-testid=cash-out-intro]')!.textContent!.trim()).toBe(
      'We have no bank transfers. Cash-out sends your dollars as USDT/USDC to an address you control, at the rate shown.',
    );
    // USDT leaves on Ethereum by default, but the usable saved USDT address is on Tron: that network and address are picked.
    expect(el.querySelector('mat-select[name=network]')!.textContent).toContain('tron');
    expect(el.querySelector('mat-select[name=addressId]')!.textContent).toContain('Tron wallet');
    expect(el.querySelector('cv-cash-out-form input[name=usdAmount]')!.closest('mat-form-field')!.textContent).toContain('$500.00 available');

    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '100');
    await submit(fixture, form(el));
    const asked = http.expectOne('/api/wallet/cash-out/quotes');
    expect(asked.request.body).toEqual({ usdAmount: '100', asset: 'USDT', network: 'tron' });
    asked.flush({ quote: quote() });
    await settle(fixture);

    expect(review(el)).toEqual([
      'You pay: $100.00',
      'Rate: $1.00 = 0.99980003 USDT',
      'Conversion fee: $0.10',
      'Converted: 99.88012387 USDT',
      'Network fee: 2.5 USDT',
      'Arrives: 97.38012387 USDT',
      // The label and network, then the whole address on a line of its own.
      expect.stringMatching(/^To: “Tron wallet” on tron ?TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL$/),
    ]);
    expect(el.querySelector('[data-testid=cash-out-countdown]')!.textContent).toMatch(/held for (9|10) more seconds/);

    await typeInto(fixture, 'cv-cash-out-form input[name=twoFactorCode]', '111111');
    await click(fixture, 'Confirm cash-out');
    const sent = http.expectOne('/api/wallet/cash-outs');
    expect(sent.request.body).toEqual({ quoteId: 'q1', addressId: 'a-tron', twoFactorCode: '111111' });
    expect(sent.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    sent.flush({ withdrawal });
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet });
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules: { ...rules, dailyRemainingUsd: '49400.00' } });
    await settle(fixture);

    expect(el.querySelector('[data-testid=cash-out-created]')!.textContent).toContain('Cash-out requested: $100.00 → 97.38012387 USDT to "Tron wallet" on tron');
    expect(el.querySelector('[data-testid=cash-out-quote]')).toBeNull();
    // Ready for another: the amount is empty and not marked wrong; the stablecoin, network and address stay.
    expect((el.querySelector('cv-cash-out-form input[name=usdAmount]') as HTMLInputElement).value).toBe('');
    expect(el.querySelector('cv-cash-out-form mat-error')).toBeNull();
    expect(el.querySelector('mat-select[name=addressId]')!.textContent).toContain('Tron wallet');
    expect(el.querySelector('[data-testid=cash-out-line]')!.textContent!.trim()).toBe('Cash-out: $100.00 → 97.38012387 USDT');
    http.verify();
  });

  it('refuses more dollars than are available before asking, and shows the smallest amount the server names', async () => {
    const { http, fixture, el } = await openCashOut();
    const messages = () => [...el.querySelector('cv-cash-out-form input[name=usdAmount]')!.closest('mat-form-field')!.querySelectorAll('mat-error')].map((m) => m.textContent!.trim());
    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '500.01');
    await submit(fixture, form(el));
    expect(messages()).toEqual(['That is more than the $500.00 available']);
    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '1.001');
    await submit(fixture, form(el));
    expect(messages()).toEqual(['Use at most 2 decimals']);
    http.expectNone('/api/wallet/cash-out/quotes');

    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '12.51');
    await submit(fixture, form(el));
    http
      .expectOne('/api/wallet/cash-out/quotes')
      .flush(
        ...apiError(422, 'BELOW_MINIMUM', 'Cash out at least $12.52: the smallest USDT withdrawal is 10 USDT, sent after its 2.5 USDT network fee', [
          { field: 'usdAmount', message: 'Enter at least 12.52 USD' },
        ]),
      );
    await settle(fixture);
    expect(messages()).toEqual(['Cash out at least $12.52: the smallest USDT withdrawal is 10 USDT, sent after its 2.5 USDT network fee']);
    http.verify();
  });

  it('offers "Refresh quote" once the quote has expired, and when the server says it has', async () => {
    const { http, fixture, el } = await openCashOut();
    // USDC: its one network, its one saved address.
    await choose(fixture, 'asset', 'USDC');
    expect(el.querySelector('mat-select[name=network]')!.textContent).toContain('ethereum');
    expect(el.querySelector('mat-select[name=addressId]')!.textContent).toContain('Ledger');
    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '50');
    await submit(fixture, form(el));
    const usdc = { asset: 'USDC' as const, network: 'ethereum' as const, price: '0.9999' };
    http.expectOne('/api/wallet/cash-out/quotes').flush({ quote: quote({ ...usdc, validForMs: 0 }) });
    await settle(fixture);
    expect(el.querySelector('[data-testid=cash-out-expired]')).not.toBeNull();
    await click(fixture, 'Refresh quote');
    const again = http.expectOne('/api/wallet/cash-out/quotes');
    expect(again.request.body).toEqual({ usdAmount: '50', asset: 'USDC', network: 'ethereum' });
    again.flush({ quote: quote({ ...usdc, id: 'q2' }) });
    await settle(fixture);
    expect(el.querySelector('[data-testid=cash-out-countdown]')).not.toBeNull();

    await typeInto(fixture, 'cv-cash-out-form input[name=twoFactorCode]', '111111');
    await click(fixture, 'Confirm cash-out');
    const sent = http.expectOne('/api/wallet/cash-outs');
    expect(sent.request.body).toEqual({ quoteId: 'q2', addressId: 'a-usdc', twoFactorCode: '111111' });
    sent.flush(...apiError(409, 'QUOTE_EXPIRED', 'This quote has expired: get a new quote'));
    await settle(fixture);
    expect(el.querySelector('[data-testid=cash-out-quote]')!.textContent).toContain('This quote has expired: get a new quote');
    expect(el.querySelector('[data-testid=cash-out-expired]')).not.toBeNull();
    http.verify();
  });

  it('confirms a quote sent in time though its clock runs out before the answer: "confirming", never "expired", then the cash-out', async () => {
    const { http, fixture, el } = await openCashOut();
    await typeInto(fixture, 'cv-cash-out-form input[name=usdAmount]', '100');
    await submit(fixture, form(el));
    http.expectOne('/api/wallet/cash-out/quotes').flush({ quote: quote({ validForMs: 300 }) });
    await settle(fixture);
    await typeInto(fixture, 'cv-cash-out-form input[name=twoFactorCode]', '111111');
    await click(fixture, 'Confirm cash-out');
    const sent = http.expectOne('/api/wallet/cash-outs');
    // The quote's 300 ms pass while the server has not answered yet.
    await new Promise((r) => setTimeout(r, 600));
    await settle(fixture);
    expect(el.querySelector('[data-testid=cash-out-expired]')).toBeNull();
    expect(el.querySelector('[data-testid=cash-out-countdown]')!.textContent!.trim()).toBe('Sent in time: confirming at this price…');
    sent.flush({ withdrawal });
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet });
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    await settle(fixture);
    expect(el.querySelector('[data-testid=cash-out-created]')!.textContent).toContain('Cash-out requested: $100.00 → 97.38012387 USDT');
    expect(el.querySelector('[data-testid=cash-out-expired]')).toBeNull();
    http.verify();
  });

  it('explains that cash-outs, as withdrawals, need two-factor authentication', async () => {
    const { http, el } = await openCashOut(false);
    expect(el.querySelector('[data-testid=cash-out-needs-2fa]')!.textContent).toContain('Withdrawals need two-factor authentication');
    expect(el.querySelector('cv-cash-out-form form')).toBeNull();
    http.verify();
  });
});

describe('cash-out notifications', () => {
  const en = new Formatter({ locale: 'en-US', timeZone: 'UTC' });
  const ADDRESS = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
  /** A withdrawal_updated notification as wallet/withdrawals/withdrawals.service.ts stores it for a cash-out. */
  const notice = (status: string, title: string, body: string, over: Record<string, unknown> = {}) => ({
    type: 'withdrawal_updated' as const,
    title,
    body,
    createdAt: '2026-12-03T10:05:30.000Z',
    data: {
      withdrawalId: 'w1', status, asset: 'USDT', amount: '97.38012387', fee: '2.50000000', total: '99.88012387', network: 'tron', address: ADDRESS,
      addressLabel: 'Tron wallet', txHash: null, rejectReason: null, cashOutUsd: '100.00', cashOutFee: '0.0999001', cashOutPrice: '1.0002', ...over,
    },
  });

  it('says what the server says: what was converted and sent, and that the dollars come back when it is not sent', () => {
    const server = [
      notice(
        'pending',
        'Cash-out requested: $100.00 as 97.38012387 USDT',
        `We received your request to cash out $100.00. It was converted to 99.88012387 USDT and 97.38012387 USDT is sent (network fee 2.5 USDT) to your saved address “Tron wallet” (${ADDRESS}) on tron. If it is not sent, the $100.00 comes back to your USD balance. If this was not you, cancel it and change your password now.`,
      ),
      notice('cancelled', 'Withdrawal cancelled: 97.38012387 USDT', 'Your withdrawal of 97.38012387 USDT to “Tron wallet” was cancelled; $100.00 is available again in your USD balance.'),
      notice(
        'rejected',
        'Withdrawal rejected: 97.38012387 USDT',
        'Your withdrawal of 97.38012387 USDT to “Tron wallet” was rejected: Address flagged by compliance. $100.00 is available again in your USD balance.',
        { rejectReason: 'Address flagged by compliance' },
      ),
      notice('approved', 'Withdrawal approved: 97.38012387 USDT', `Your withdrawal of 97.38012387 USDT to “Tron wallet” (${ADDRESS}) was approved and will be sent shortly.`),
    ];
    for (const n of server) expect(notificationText(n, en)).toEqual({ title: n.title, body: n.body });
  });
});
