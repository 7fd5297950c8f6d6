import { TestBed } from '@angular/core/testing';
import type { AddressBookDto, WithdrawalAddressDto, WithdrawalRulesDto } from '../../api/models';
import { apiError, choose, click, dialog, settle, setUpApp, submit, typeInto, until } from '../../../testing/ui';
import { AddressBookPage } from './address-book.page';
import { ConfirmAddressPage } from './confirm-address.page';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const address = (over: Partial<WithdrawalAddressDto> = {}): WithdrawalAddressDto => ({
  id: 'a1',
  label: 'Cold wallet',
  asset: 'BTC',
  network: 'bitcoin',
  address: BTC,
  status: 'usable',
  createdAt: '2026-11-27T10:00:00Z',
  confirmedAt: '2026-11-27T10:05:00Z',
  usableFrom: '2026-11-28T10:05:00Z',
  removedAt: null,
  ...over,
});
const rules: WithdrawalRulesDto = {
  assets: [{ asset: 'BTC', minimum: '0.0005', fee: '0.0001', decimals: 8, networks: [{ name: 'bitcoin', addressHint: 'a bech32 (bc1…) Bitcoin address', isDefault: true, explorerTxUrl: 'https://mempool.space/tx/{hash}' }] }],
  dailyLimitUsd: '50000',
  dailyRemainingUsd: '50000.00',
  dualApprovalUsd: '5000',
};

async function openBook(book: Partial<AddressBookDto> = {}) {
  const http = await setUpApp({ user: { twoFactorEnabled: true } });
  const fixture = TestBed.createComponent(AddressBookPage);
  await settle(fixture);
  http.expectOne('/api/wallet/addresses').flush({ items: [], lock: { enabled: false, disablesAt: null }, maxAddresses: 20, holdSeconds: 86400, ...book });
  http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

describe('Address book', () => {
  it('lists saved addresses with where each stands: awaiting confirmation, usable from when, usable', async () => {
    const { http, el } = await openBook({
      items: [
        address({ id: 'a3', label: 'New', status: 'awaiting_confirmation', confirmedAt: null, usableFrom: null }),
        address({ id: 'a2', label: 'Held', status: 'on_hold', usableFrom: '2030-01-02T10:00:00Z' }),
        address(),
      ],
    });
    const rows = [...el.querySelectorAll('[data-testid=addresses] tbody tr')].map((r) => r.textContent!.replace(/\s+/g, ' '));
    expect(rows[0]).toContain('Awaiting confirmation: open the link we emailed you');
    expect(rows[1]).toMatch(/Usable from Jan 2, 2030/);
    expect(rows[2]).toContain('Usable');
    expect(el.textContent).toContain('24 hours before its first use');
    http.verify();
  });

  it('saves an address with its label, asset and network, says to confirm it by email, and shows server field errors', async () => {
    const { http, fixture, el } = await openBook();
    await typeInto(fixture, 'input[name=label]', ' Cold wallet ');
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'input[name=address]', 'bc1qnotvalid');
    await submit(fixture);
    const bad = http.expectOne({ method: 'POST', url: '/api/wallet/addresses' });
    expect(bad.request.body).toEqual({ label: 'Cold wallet', asset: 'BTC', network: 'bitcoin', address: 'bc1qnotvalid' });
    bad.flush(...apiError(400, 'VALIDATION_FAILED', 'address is not a valid BTC address', [{ field: 'address', message: 'address is not a valid BTC address on bitcoin' }]));
    await settle(fixture);
    expect(el.querySelector('input[name=address]')!.closest('mat-form-field')!.textContent).toContain('not a valid BTC address on bitcoin');

    await typeInto(fixture, 'input[name=address]', BTC);
    await submit(fixture);
    http
      .expectOne({ method: 'POST', url: '/api/wallet/addresses' })
      .flush({ address: address({ status: 'awaiting_confirmation', confirmedAt: null, usableFrom: null }) });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toContain('"Cold wallet" was saved. Open the link we emailed you to confirm it');
    expect(el.querySelector('[data-testid=addresses] tbody tr')!.textContent).toContain('Awaiting confirmation');
    http.verify();
  });

  it('removes an address at once', async () => {
    const { http, fixture, el } = await openBook({ items: [address()] });
    const remove = el.querySelector<HTMLButtonElement>('[data-testid=addresses] button')!;
    expect(remove.getAttribute('aria-label')).toBe('Remove address Cold wallet');
    remove.click();
    await settle(fixture);
    http.expectOne({ method: 'DELETE', url: '/api/wallet/addresses/a1' }).flush({ address: address({ status: 'removed', removedAt: '2026-12-02T10:00:00Z' }) });
    await settle(fixture);
    expect(el.querySelector('[data-testid=addresses] tbody')!.textContent).toContain('No saved addresses yet');
    http.verify();
  });

  it('locks the book at once (no add form while locked) and shows when turning the lock off takes effect', async () => {
    const { http, fixture, el } = await openBook();
    await click(fixture, 'Lock the address book');
    http.expectOne({ method: 'POST', url: '/api/wallet/addresses/lock' }).flush({ lock: { enabled: true, disablesAt: null } });
    await settle(fixture);
    expect(el.querySelector('[data-testid=lock-status]')!.textContent).toContain('no address can be added');
    expect(el.querySelector('input[name=address]')).toBeNull();

    await click(fixture, 'Turn the lock off');
    const off = http.expectOne({ method: 'DELETE', url: '/api/wallet/addresses/lock' });
    off.flush(...apiError(401, 'STEP_UP_REQUIRED', 'Confirm it is you first'));
    await settle(fixture);
    await until(dialog); // the dialog's code loads on the first step-up
    // The step-up dialog asks; cancelled, nothing changed and the page says so.
    [...(await until(dialog)).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await settle(fixture);
    await settle(fixture);
    expect(el.querySelector('[role=alert]')!.textContent).toContain('Nothing was changed');

    await click(fixture, 'Turn the lock off');
    http.expectOne({ method: 'DELETE', url: '/api/wallet/addresses/lock' }).flush({ lock: { enabled: true, disablesAt: '2030-01-02T10:00:00Z' } });
    await settle(fixture);
    expect(el.querySelector('[data-testid=lock-status]')!.textContent).toMatch(/The lock turns off at Jan 2, 2030/);
    expect(el.querySelector('input[name=address]')).toBeNull();
    http.verify();
  });
});

describe('Address confirmation page', () => {
  async function openConfirm(token: string | undefined) {
    const http = await setUpApp();
    const fixture = TestBed.createComponent(ConfirmAddressPage);
    if (token !== undefined) fixture.componentRef.setInput('token', token);
    await settle(fixture);
    return { http, fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('sends nothing when the link is opened; confirms only when the button is pressed, and says from when the address is usable', async () => {
    const { http, fixture, el } = await openConfirm('tok-123');
    http.expectNone('/api/wallet/addresses/confirm');
    expect(el.textContent).toContain('If you did not');
    await click(fixture, 'Confirm address');
    const req = http.expectOne({ method: 'POST', url: '/api/wallet/addresses/confirm' });
    expect(req.request.body).toEqual({ token: 'tok-123' });
    req.flush({ address: address({ status: 'on_hold', usableFrom: '2030-01-02T10:00:00Z' }) });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toMatch(/"Cold wallet" \(BTC on bitcoin\) is confirmed\. It can receive withdrawals from Jan 2, 2030/);
    http.verify();
  });

  it('shows why a used or expired link is refused, and a link without a token', async () => {
    const { http, fixture, el } = await openConfirm('used');
    await click(fixture, 'Confirm address');
    http
      .expectOne('/api/wallet/addresses/confirm')
      .flush(...apiError(400, 'VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [{ field: 'token', message: 'invalid, used or expired' }]));
    await settle(fixture);
    expect(el.querySelector('[role=alert]')!.textContent).toContain('The confirmation link is invalid, used or expired');
    http.verify();
    TestBed.resetTestingModule();
    const none = await openConfirm(undefined);
    expect(none.el.querySelector('[role=alert]')!.textContent).toContain('no confirmation token');
  });
});
