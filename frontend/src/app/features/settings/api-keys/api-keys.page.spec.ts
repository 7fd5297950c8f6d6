import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { apiError, settle, setUpApp, submit, typeInto, until } from '../../../../testing/ui';
import { ApiKeysPage } from './api-keys.page';

const KEYS = '/api/auth/api-keys';

async function openPage() {
  const http = await setUpApp({ user: { twoFactorEnabled: true } });
  const fixture = TestBed.createComponent(ApiKeysPage);
  await settle(fixture);
  http.expectOne((r) => r.method === 'GET' && r.url === KEYS).flush({ items: [], max: 10 });
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

/** The key's creation, once the page has made the key pair and sent it. */
const created = (http: HttpTestingController): Promise<TestRequest> =>
  until(() => http.match((r) => r.method === 'POST' && r.url === KEYS)[0]);

describe('ApiKeysPage', () => {
  it('asks for a two-factor code when the key can withdraw, sends it with the key, and says so when the code was already used', async () => {
    const { http, fixture, el } = await openPage();
    expect(el.querySelector('input[name=twoFactorCode]')).toBeNull();
    await typeInto(fixture, 'input[name=keyName]', 'Payouts');
    el.querySelector<HTMLInputElement>('mat-checkbox[name=scopeWithdraw] input')!.click();
    await settle(fixture);
    await typeInto(fixture, 'textarea[name=ipAllowlist]', '203.0.113.7');
    const codeField = () =>
      el.querySelector('input[name=twoFactorCode]')?.closest('mat-form-field');
    expect(codeField()?.textContent).toContain(
      'A key that can withdraw needs a new code from your authenticator app',
    );

    // No code: nothing is sent, the field says what is missing.
    await submit(fixture, el.querySelector('form'));
    expect(http.match((r) => r.method === 'POST')).toEqual([]);
    expect(codeField()?.textContent).toContain(
      'Enter a new code from your authenticator app, or confirm with a passkey',
    );

    await typeInto(fixture, 'input[name=twoFactorCode]', '123456');
    await submit(fixture, el.querySelector('form'));
    const first = await created(http);
    expect(first.request.body).toEqual({
      name: 'Payouts',
      scopes: ['read', 'withdraw'],
      ipAllowlist: ['203.0.113.7'],
      publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      twoFactorCode: '123456',
    });
    first.flush(
      ...apiError(
        401,
        'TWO_FACTOR_INVALID',
        'The two-factor code is not valid (each code works once)',
      ),
    );
    await settle(fixture);
    expect(codeField()?.textContent).toContain('That code is not valid or was already used');
    expect(el.querySelector<HTMLInputElement>('input[name=twoFactorCode]')!.value).toBe('');
    expect(el.querySelector('[data-testid=api-key-secret]')).toBeNull();
  });

  it('sends no code for a key that cannot withdraw', async () => {
    const { http, fixture, el } = await openPage();
    await typeInto(fixture, 'input[name=keyName]', 'Reader');
    await submit(fixture, el.querySelector('form'));
    const req = await created(http);
    expect(req.request.body).toEqual({
      name: 'Reader',
      scopes: ['read'],
      publicKey: expect.any(String),
    });
    expect(el.querySelector('input[name=twoFactorCode]')).toBeNull();
  });
});
