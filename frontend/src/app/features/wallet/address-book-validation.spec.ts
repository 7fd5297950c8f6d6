import { TestBed } from '@angular/core/testing';
import type { WithdrawalRulesDto } from '../../api/models';
import { apiError, choose, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { AddressBookPage } from './address-book.page';

const rules: WithdrawalRulesDto = {
  assets: [{ asset: 'BTC', minimum: '0.0005', fee: '0.0001', decimals: 8, networks: [{ name: 'bitcoin', addressHint: 'a bech32 (bc1…) Bitcoin address', isDefault: true, explorerTxUrl: null }] }],
  dailyLimitUsd: '50000',
  dailyRemainingUsd: '50000.00',
  dualApprovalUsd: '5000',
};

async function openBook() {
  const http = await setUpApp({ user: { twoFactorEnabled: true } });
  const fixture = TestBed.createComponent(AddressBookPage);
  await settle(fixture);
  http.expectOne('/api/wallet/addresses').flush({ items: [], lock: { enabled: false, disablesAt: null }, maxAddresses: 20, holdSeconds: 86400 });
  http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  /** Each field's one message, by field name (only the fields that show one). */
  const messages = () =>
    Object.fromEntries(
      [...el.querySelectorAll('mat-form-field')]
        .map((f) => [f.querySelector('[name]')?.getAttribute('name'), [...f.querySelectorAll('mat-error')].map((e) => e.textContent!.trim()).join(' | ')])
        .filter(([, m]) => m),
    );
  return { http, fixture, el, messages };
}

describe('Address book form checks a new address before sending it', () => {
  it('tells each empty field what it needs, one message each, and sends nothing', async () => {
    const { http, fixture, messages } = await openBook();
    await submit(fixture);
    // The network is chosen once there is an asset (its list is the asset's networks).
    expect(messages()).toEqual({
      label: 'Enter a label of 1 to 64 characters',
      asset: 'Choose an asset',
      address: 'Enter the address (at most 128 characters)',
    });
    http.expectNone({ method: 'POST', url: '/api/wallet/addresses' });
    http.verify();
  });

  it('refuses a label with an angle bracket or over 64 characters, and an address over 128', async () => {
    const { http, fixture, messages } = await openBook();
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'input[name=label]', 'My <b>wallet</b>');
    await typeInto(fixture, 'input[name=address]', 'x'.repeat(129));
    await submit(fixture);
    expect(messages()).toEqual({ label: 'A label cannot contain < or > or control characters', address: 'Enter the address (at most 128 characters)' });
    await typeInto(fixture, 'input[name=label]', 'L'.repeat(65));
    expect(messages()['label']).toBe('Enter a label of 1 to 64 characters');
    http.expectNone({ method: 'POST', url: '/api/wallet/addresses' });
    http.verify();
  });

  it("shows the server's refusal of the address under the address only", async () => {
    const { http, fixture, el, messages } = await openBook();
    await typeInto(fixture, 'input[name=label]', 'Cold wallet');
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'input[name=address]', 'bc1qnotvalid');
    await submit(fixture);
    const refusal = 'That is not a valid BTC address on bitcoin';
    http.expectOne({ method: 'POST', url: '/api/wallet/addresses' }).flush(...apiError(400, 'VALIDATION_FAILED', refusal, [{ field: 'address', message: refusal }]));
    await settle(fixture);
    expect(messages()).toEqual({ address: refusal });
    expect(el.textContent!.split(refusal).length - 1).toBe(1);
    http.verify();
  });
});
