import { TestBed } from '@angular/core/testing';
import type { WithdrawalDto } from '../../api/models';
import { apiError, choose, click, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { WalletPage } from './wallet.page';

const wallet = {
  balances: [
    { asset: 'USD', available: '50.00', locked: '0', total: '50.00', usdValue: '50.00' },
    { asset: 'BTC', available: '0.02', locked: '0', total: '0.02', usdValue: '1000.00' },
  ],
  totalUsd: '1050.00',
  updatedAt: null,
};
const withdrawal: WithdrawalDto = {
  id: 'w1', asset: 'BTC', amount: '0.01000000', fee: '0.00010000', total: '0.01010000', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  status: 'pending', approvals: 0, requiredApprovals: 1, usdValue: '500.00', createdAt: '2026-11-28T20:00:00Z', updatedAt: '2026-11-28T20:00:00Z',
};

async function openWallet(twoFactorEnabled: boolean, withdrawals: WithdrawalDto[] = []) {
  const http = await setUpApp({ user: { twoFactorEnabled } });
  const fixture = TestBed.createComponent(WalletPage);
  await settle(fixture);
  http.expectOne('/api/wallet/balance').flush({ wallet });
  http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: withdrawals, nextCursor: null });
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

  it('sends the amount as a decimal string with the two-factor code and a fresh Idempotency-Key per attempt, and lists the new withdrawal', async () => {
    const { http, fixture, el } = await openWallet(true);
    const form = () => el.querySelector<HTMLFormElement>('cv-withdraw-form form');
    // Only the crypto the user holds is offered, with what is available.
    expect(await choose(fixture, 'asset', 'BTC')).toEqual(['BTC (0.02 available)']);
    await typeInto(fixture, 'cv-withdraw-form input[name=address]', ' bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq ');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');
    await typeInto(fixture, 'cv-withdraw-form input[name=twoFactorCode]', '111111');
    await submit(fixture, form());

    const first = http.expectOne('/api/wallet/withdraw');
    expect(first.request.body).toEqual({ asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', amount: '0.01', twoFactorCode: '111111' });
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
    await settle(fixture);

    expect(el.querySelector('[role=status]')!.textContent).toContain('Withdrawal requested: 0.01 BTC');
    expect(el.querySelector('[role=status]')!.textContent).toContain('0.0101 BTC held');
    const row = el.querySelector('[data-testid=withdrawals] tbody tr')!;
    expect(row.textContent).toContain('pending');
    expect((el.querySelector('cv-withdraw-form input[name=twoFactorCode]') as HTMLInputElement).value).toBe('');
    http.verify();
  });

  it('shows a server field error (below the minimum) on the amount field', async () => {
    const { http, fixture, el } = await openWallet(true);
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.0001');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-withdraw-form form'));
    http
      .expectOne('/api/wallet/withdraw')
      .flush(...apiError(422, 'BELOW_MINIMUM', 'The smallest BTC withdrawal is 0.0005 BTC', [{ field: 'amount', message: 'amount must be at least 0.0005' }]));
    await settle(fixture);
    expect(el.querySelector('cv-withdraw-form input[name=amount]')!.closest('mat-form-field')!.textContent).toContain('amount must be at least 0.0005');
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
