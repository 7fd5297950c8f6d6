import { TestBed } from '@angular/core/testing';
import { settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { LedgerAdjustmentPage } from './ledger-adjustment.page';

async function openAdjustments() {
  const http = await setUpApp({ user: { role: 'admin' } });
  const fixture = TestBed.createComponent(LedgerAdjustmentPage);
  await settle(fixture);
  http.expectOne('/api/admin/ledger/adjustments?limit=50&status=pending').flush({ items: [], nextCursor: null });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  const form = () => el.querySelector<HTMLFormElement>('form')!;
  /** Each field's one message, by field name (only the fields that show one). */
  const messages = () =>
    Object.fromEntries(
      [...form().querySelectorAll('mat-form-field')]
        .map((f) => [f.querySelector('[name]')?.getAttribute('name'), [...f.querySelectorAll('mat-error')].map((e) => e.textContent!.trim()).join(' | ')])
        .filter(([, m]) => m),
    );
  return { http, fixture, form, messages };
}

describe('Ledger adjustment form checks an adjustment before posting it', () => {
  it('tells each missing field what it needs and posts nothing', async () => {
    const { http, fixture, form, messages } = await openAdjustments();
    await submit(fixture, form());
    expect(messages()).toEqual({
      userId: 'Enter the id of the user to adjust',
      amount: 'Enter an amount, like 100.00',
      reason: 'Enter a reason of 3 to 300 characters',
    });
    http.expectNone('/api/admin/ledger/adjustments');
    http.verify();
  });

  it('refuses a malformed id, ticker or amount, a zero amount and a too-short reason, one message each', async () => {
    const { http, fixture, form, messages } = await openAdjustments();
    await typeInto(fixture, 'input[name=userId]', 'bob');
    await typeInto(fixture, 'input[name=asset]', 'B T C');
    await typeInto(fixture, 'input[name=amount]', '5 USD');
    await typeInto(fixture, 'textarea[name=reason]', 'ok');
    await submit(fixture, form());
    expect(messages()).toEqual({
      userId: 'Enter the id of the user to adjust like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11',
      asset: 'Enter a ticker like BTC (up to 16 letters and digits)',
      amount: 'Enter an amount like 100 or -100',
      reason: 'Enter a reason of 3 to 300 characters',
    });
    for (const [amount, message] of [
      ['0', 'Enter an amount other than 0'],
      ['-0.000', 'Enter an amount other than 0'],
      ['-' + '1'.repeat(16), 'That number is too large (at most 100,000,000,000,000 either way)'],
      ['-5.1234567890123456789', 'Use at most 18 decimals'],
    ]) {
      await typeInto(fixture, 'input[name=amount]', amount);
      expect(messages()['amount']).toBe(message);
    }
    http.expectNone('/api/admin/ledger/adjustments');
    http.verify();
  });
});
