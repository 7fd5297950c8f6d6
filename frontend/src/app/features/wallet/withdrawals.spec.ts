import { TestBed } from '@angular/core/testing';
import type { AddressBookDto, WithdrawalDto, WithdrawalRulesDto } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { apiError, choose, click, settle, setUpApp, submit, testUser, typeInto } from '../../../testing/ui';
import { WalletPage } from './wallet.page';

const wallet = {
  balances: [
    { asset: 'USD', available: '50.00', locked: '0', total: '50.00', usdValue: '50.00' },
    { asset: 'BTC', available: '0.02', locked: '0', total: '0.02', usdValue: '1000.00' },
    { asset: 'USDT', available: '100', locked: '0', total: '100', usdValue: '100.00' },
    // Held but not withdrawable: not offered.
    { asset: 'ADA', available: '5', locked: '0', total: '5', usdValue: '3.00' },
  ],
  totalUsd: '1050.00',
  updatedAt: null,
};
const withdrawal: WithdrawalDto = {
  id: 'w1', asset: 'BTC', amount: '0.01000000', fee: '0.00010000', total: '0.01010000', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  addressId: 'a-btc', addressLabel: 'Cold wallet',
  status: 'pending', approvals: 0, requiredApprovals: 1, usdValue: '500.00', createdAt: '2026-11-28T20:00:00Z', updatedAt: '2026-11-28T20:00:00Z', explorerUrl: null, cashOut: null,
};

const rules: WithdrawalRulesDto = {
  assets: [
    { asset: 'BTC', minimum: '0.0005', fee: '0.0001', decimals: 8, networks: [{ name: 'bitcoin', addressHint: 'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address', isDefault: true, explorerTxUrl: 'https://mempool.space/tx/{hash}' }] },
    {
      asset: 'USDT',
      minimum: '10',
      fee: '2.5',
      decimals: 8,
      networks: [
        { name: 'ethereum', addressHint: '0x followed by 40 hex digits', isDefault: true, explorerTxUrl: 'https://etherscan.io/tx/{hash}' },
        { name: 'tron', addressHint: 'a base58check Tron address starting with T', isDefault: false, explorerTxUrl: 'https://tronscan.org/#/transaction/{hash}' },
      ],
    },
  ],
  dailyLimitUsd: '50000',
  dailyRemainingUsd: '49500.00',
  dualApprovalUsd: '5000',
};

const saved = (over: Partial<AddressBookDto['items'][number]>) => ({
  id: 'a-btc', label: 'Cold wallet', asset: 'BTC', network: 'bitcoin' as const, address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', status: 'usable' as const,
  createdAt: '2026-11-27T10:00:00Z', confirmedAt: '2026-11-27T10:05:00Z', usableFrom: '2026-11-28T10:05:00Z', removedAt: null, ...over,
});
const book: AddressBookDto = {
  items: [
    saved({}),
    saved({ id: 'a-new', label: 'New exchange', address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', status: 'on_hold', usableFrom: '2030-01-02T10:00:00Z' }),
    saved({ id: 'a-tron', label: 'Tron wallet', asset: 'USDT', network: 'tron', address: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL' }),
  ],
  lock: { enabled: false, disablesAt: null },
  maxAddresses: 20,
  holdSeconds: 86400,
};

async function openWallet(twoFactorEnabled: boolean, withdrawals: WithdrawalDto[] = []) {
  const http = await setUpApp({ user: { twoFactorEnabled } });
  const fixture = TestBed.createComponent(WalletPage);
  await settle(fixture);
  http.expectOne('/api/wallet/balance').flush({ wallet });
  http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: withdrawals, nextCursor: null });
  if (twoFactorEnabled) {
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    http.expectOne('/api/wallet/addresses').flush(book);
  }
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

describe('Wallet withdrawals', () => {
  it('explains that withdrawals need two-factor and links to the settings when it is off', async () => {
    const { http, el } = await openWallet(false);
    const notice = el.querySelector('[data-testid=withdraw-needs-2fa]')!;
    expect(notice.textContent).toContain('Withdrawals need two-factor authentication');
    expect(notice.querySelector('a')!.getAttribute('href')).toBe('/settings#two-factor');
    expect(el.querySelector('cv-withdraw-form input[name=twoFactorCode]')).toBeNull();
    http.verify();
  });

  it('sends the amount as a decimal string to the chosen saved address with the two-factor code and a fresh Idempotency-Key per attempt, and lists the new withdrawal', async () => {
    const { http, fixture, el } = await openWallet(true);
    const form = () => el.querySelector<HTMLFormElement>('cv-withdraw-form form');
    // Only withdrawable crypto the user holds is offered, with what is available.
    expect(await choose(fixture, 'asset', 'BTC')).toEqual(['BTC (0.02 BTC available)', 'USDT (100 USDT available)']);
    // The asset's saved addresses: the usable one is picked; one still on hold is shown, disabled, with when it becomes usable.
    // (Open, the held one is disabled; the panel closes at once once an option is picked: animations are off in tests.)
    el.querySelector<HTMLElement>('mat-select[name=addressId] .mat-mdc-select-trigger')!.click();
    await settle(fixture);
    expect([...document.querySelectorAll('mat-option')].find((o) => o.textContent!.includes('New exchange'))!.getAttribute('aria-disabled')).toBe('true');
    [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) => o.textContent!.includes('Cold wallet'))!.click();
    await settle(fixture);
    const options = (await choose(fixture, 'addressId', 'Cold wallet')).filter((t) => !t.includes('available'));
    expect(options).toEqual(['Cold wallet · bitcoin · bc1qar0srr…zzwf5mdq', expect.stringMatching(/^New exchange · bitcoin · 3J98t1WpEZ…nqRhWNLy \(Usable from Jan 2, 2030/)]);
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    await submit(fixture, form());

    const first = http.expectOne('/api/wallet/withdraw');
    expect(first.request.body).toEqual({ asset: 'BTC', addressId: 'a-btc', amount: '0.01', twoFactorCode: '111111' });
    const firstKey = first.request.headers.get('Idempotency-Key');
    expect(firstKey).toMatch(/^[0-9a-f-]{36}$/);
    first.flush(...apiError(401, 'TWO_FACTOR_INVALID', 'The two-factor code is not valid (each code works once)'));
    await settle(fixture);
    expect(el.querySelector('cv-withdraw-form input[name=twoFactorCode]')!.closest('mat-form-field')!.textContent).toContain('each code works once');

    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '222222');
    await submit(fixture, form());
    const second = http.expectOne('/api/wallet/withdraw');
    expect(second.request.body.twoFactorCode).toBe('222222');
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(firstKey);
    second.flush({ withdrawal });
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet });
    // The daily limit left moved: the rules are read again.
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules: { ...rules, dailyRemainingUsd: '49000.00' } });
    await settle(fixture);
    expect(el.querySelector('[data-testid=withdraw-limits]')!.textContent).toContain('$49,000.00 left');

    expect(el.querySelector('[role=status]')!.textContent).toContain('Withdrawal requested: 0.01 BTC to "Cold wallet" on bitcoin');
    expect(el.querySelector('[role=status]')!.textContent).toContain('0.0101 BTC held');
    const row = el.querySelector('[data-testid=withdrawals] tbody tr')!;
    expect(row.textContent).toContain('pending');
    expect(row.textContent).toContain('Cold wallet');
    expect((el.querySelector('cv-withdraw-form input[name=twoFactorCode]') as HTMLInputElement).value).toBe('');
    http.verify();
  });

  it('offers the saved addresses of the chosen asset and shows its minimum, fee and the total held before submit', async () => {
    const { http, fixture, el } = await openWallet(true);
    await choose(fixture, 'asset', 'USDT');
    const summary = () => [...el.querySelector('[data-testid=withdraw-summary]')!.children].map((c) => c.textContent!.trim()).join(' ');
    expect(summary()).toContain('Minimum 10 USDT');
    expect(summary()).toContain('Network fee 2.5 USDT');
    expect(summary()).toContain('Total held —');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '12.75');
    expect(summary()).toContain('Total held 15.25 USDT');
    expect(el.querySelector('[data-testid=withdraw-limits]')!.textContent).toContain('$49,500.00 left');

    // The asset's one usable address is preselected.
    expect(el.querySelector('mat-select[name=addressId]')!.textContent).toContain('Tron wallet · tron');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    const req = http.expectOne('/api/wallet/withdraw');
    expect(req.request.body).toMatchObject({ asset: 'USDT', addressId: 'a-tron', amount: '12.75' });
    req.flush(...apiError(401, 'TWO_FACTOR_INVALID', 'The two-factor code is not valid (each code works once)'));
    await settle(fixture);

    // Choosing another asset picks that asset's usable address.
    await choose(fixture, 'asset', 'BTC');
    expect(el.querySelector('mat-select[name=addressId]')!.textContent).toContain('Cold wallet');
    http.verify();
  });

  it('points to the address book when the asset has no usable saved address, and reloads it when the server refuses the address', async () => {
    const { http, fixture, el } = await openWallet(true);
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    http
      .expectOne('/api/wallet/withdraw')
      .flush(...apiError(422, 'ADDRESS_REMOVED', 'This address was removed from your address book', [{ field: 'addressId', message: 'removed' }]));
    await settle(fixture);
    expect(el.querySelector('mat-select[name=addressId]')!.closest('mat-form-field')!.textContent).toContain('removed');
    http.expectOne('/api/wallet/addresses').flush({ ...book, items: book.items.filter((a) => a.id !== 'a-btc') });
    await settle(fixture);
    await choose(fixture, 'asset', 'USDT');
    await choose(fixture, 'asset', 'BTC');
    const hint = el.querySelector('[data-testid=no-usable-address]')!;
    expect(hint.textContent).toContain('No usable BTC address yet');
    expect(hint.querySelector('a')!.getAttribute('href')).toBe('/wallet/addresses');
    http.verify();
  });

  it('refuses an amount under the minimum, with too many decimals or more than is available before sending anything', async () => {
    const { http, fixture, el } = await openWallet(true);
    const form = () => el.querySelector<HTMLFormElement>('cv-withdraw-form form');
    // The one message under the amount (Material's error slot, in place of the hint).
    const amountMessages = () => [...el.querySelector('cv-withdraw-form input[name=amount]')!.closest('mat-form-field')!.querySelectorAll('mat-error, mat-hint')].map((m) => m.textContent!.trim());
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    for (const [amount, message] of [
      ['', 'Enter an amount, like 0.01'],
      ['1e-3', 'Enter an amount like 250 or 0.5'],
      ['0', 'Enter an amount more than 0'],
      ['1'.repeat(40), 'That number is too large (at most 100,000,000,000,000)'],
      ['0.0004', 'Enter at least 0.0005 BTC'],
      ['0.000600001', 'Use at most 8 decimals'],
      ['0.02', 'With the 0.0001 BTC network fee that is 0.0201 BTC, more than the 0.02 BTC available'],
    ]) {
      await typeInto(fixture, 'cv-withdraw-form input[name=amount]', amount);
      await submit(fixture, form());
      expect(amountMessages()).toEqual([message]);
    }
    http.expectNone('/api/wallet/withdraw');
    http.verify();
  });

  it('asks for the two-factor code, and tells a code of the wrong length what to enter, before sending anything', async () => {
    const { http, fixture, el } = await openWallet(true);
    const codeMessages = () => [...el.querySelector('cv-withdraw-form input[name=twoFactorCode]')!.closest('mat-form-field')!.querySelectorAll('mat-error')].map((m) => m.textContent!.trim());
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    expect(codeMessages()).toEqual(['Enter the 6-digit code from your authenticator app, or confirm with a passkey']);
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '123');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    expect(codeMessages()).toEqual(['Enter the 6-digit code from your authenticator app, or a backup code']);
    http.expectNone('/api/wallet/withdraw');
    http.verify();
  });

  it('shows a server refusal without details (daily limit) on the amount field', async () => {
    const { http, fixture, el } = await openWallet(true);
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    http.expectOne('/api/wallet/withdraw').flush(...apiError(422, 'LIMIT_EXCEEDED', 'Withdrawals are limited to 50000 USD per 24 hours; 100.00 USD left'));
    await settle(fixture);
    expect(el.querySelector('cv-withdraw-form input[name=amount]')!.closest('mat-form-field')!.textContent).toContain('100.00 USD left');
    http.verify();
  });

  async function openHeldWallet(until: string) {
    const http = await setUpApp({ user: { twoFactorEnabled: true, securityHold: { until, reason: 'password_reset', message: 'held' } } });
    const fixture = TestBed.createComponent(WalletPage);
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet });
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    http.expectOne('/api/wallet/addresses').flush(book);
    await settle(fixture);
    return { http, fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('shows a running security hold (until when and why) instead of the form', async () => {
    const { http, el } = await openHeldWallet('2126-12-03T14:00:00.000Z');
    const notice = el.querySelector('[data-testid=withdraw-hold]')!;
    expect(notice.textContent).toContain('Withdrawals are on hold until');
    expect(notice.textContent).toContain('2126');
    expect(notice.textContent).toContain('because your password was reset');
    expect(notice.querySelector('a')!.getAttribute('href')).toBe('/settings/activity');
    expect(el.querySelector('cv-withdraw-form form')).toBeNull();
    http.verify();
  });

  it('shows the form again once the hold has ended', async () => {
    const { http, el } = await openHeldWallet('2026-01-01T00:00:00.000Z');
    expect(el.querySelector('[data-testid=withdraw-hold]')).toBeNull();
    expect(el.querySelector('cv-withdraw-form form')).not.toBeNull();
    http.verify();
  });

  it('shows a SECURITY_HOLD refusal and reloads the account to show the hold', async () => {
    const { http, fixture, el } = await openWallet(true);
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '123456');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    http.expectOne('/api/wallet/withdraw').flush(...apiError(403, 'SECURITY_HOLD', 'Withdrawals are on hold until 2126-12-03 14:00 UTC because two-factor authentication was changed.'));
    await settle(fixture);
    const until = '2126-12-03T14:00:00.000Z';
    http.expectOne('/api/auth/me').flush({ user: testUser({ twoFactorEnabled: true, securityHold: { until, reason: 'two_factor_changed', message: 'held' } }) });
    await settle(fixture);
    expect(el.querySelector('[data-testid=withdraw-hold]')!.textContent).toContain('because two-factor authentication was changed');
    http.verify();
  });

  it('reloads the balances, the withdrawals and the limit left when /ws/user reports a withdrawal or deposit change', async () => {
    const { http, fixture, el } = await openWallet(true, [withdrawal]);
    TestBed.inject(UserEventsStore).walletChanged.update((n) => n + 1);
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet: { ...wallet, balances: wallet.balances.map((b) => (b.asset === 'BTC' ? { ...b, available: '0.0099', locked: '0' } : b)) } });
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [{ ...withdrawal, status: 'completed', txHash: '0xfeed01' }], nextCursor: null });
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    await settle(fixture);
    const row = el.querySelector('[data-testid=withdrawals] tbody tr')!;
    expect(row.textContent).toContain('completed');
    expect(row.textContent).toContain('0xfeed01');
    expect(el.textContent).toContain('0.0099');
    http.verify();
  });

  it("links a sent payout's transaction to its block explorer in a new tab, the hash shortened and whole on hover; a hash without a link stays text", async () => {
    const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    const linked = { ...withdrawal, id: 'w2', status: 'completed' as const, txHash: txid, explorerUrl: `https://mempool.space/tx/${txid}` };
    // The server gives no link for a hash that is not one of the chain's: it is shown whole, as typed.
    const unlinked = { ...withdrawal, id: 'w3', status: 'completed' as const, txHash: 'deadbeefdeadbeefdeadbeef', explorerUrl: null };
    const { http, el } = await openWallet(true, [linked, unlinked]);
    const rows = [...el.querySelectorAll('[data-testid=withdrawals] tbody tr')];
    const link = rows[0].querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`https://mempool.space/tx/${txid}`);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.textContent!.trim()).toBe('f4184fc596…831e9e16');
    expect(link.getAttribute('title')).toBe(txid);
    // Its name carries the hash as shown (label in name), the whole hash is its title.
    expect(link.getAttribute('aria-label')).toBe('Transaction f4184fc596…831e9e16 on a block explorer (opens in a new tab)');
    expect(rows[0].textContent).toContain('Tx: f4184fc596…831e9e16');
    expect(rows[1].querySelector('a')).toBeNull();
    expect(rows[1].textContent).toContain('Tx: deadbeefdeadbeefdeadbeef');
    http.verify();
  });

  it('cancels a pending withdrawal and shows it cancelled, with no Cancel left; completed ones show their tx hash', async () => {
    const completed = { ...withdrawal, id: 'w0', status: 'completed' as const, txHash: '0xabc123' };
    const { http, fixture, el } = await openWallet(true, [withdrawal, completed]);
    const rows = () => [...el.querySelectorAll('[data-testid=withdrawals] tbody tr')];
    expect(rows()[1].textContent).toContain('completed');
    expect(rows()[1].textContent).toContain('0xabc123');
    expect(rows()[1].querySelector('button')).toBeNull();

    const cancel = rows()[0].querySelector('button')!;
    expect(cancel.getAttribute('aria-label')).toBe('Cancel withdrawal of 0.01000000 BTC');
    cancel.click();
    await settle(fixture);
    http.expectOne({ method: 'POST', url: '/api/wallet/withdraw/w1/cancel' }).flush({ withdrawal: { ...withdrawal, status: 'cancelled' } });
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet });
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    await settle(fixture);
    expect(rows()[0].textContent).toContain('cancelled');
    expect(rows()[0].querySelector('button')).toBeNull();

    await click(fixture, 'Refresh withdrawals');
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [{ ...withdrawal, status: 'cancelled' }], nextCursor: null });
    http.expectOne('/api/wallet/balance').flush({ wallet });
    await settle(fixture);
    expect(rows()).toHaveLength(1);
    http.verify();
  });
});
