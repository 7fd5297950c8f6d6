import { TestBed } from '@angular/core/testing';
import { apiError, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { SignupPage } from './signup.page';

async function openSignup() {
  const http = await setUpApp();
  const fixture = TestBed.createComponent(SignupPage);
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  /** Each field's one message (its error, else its hint), by field name. */
  const messages = () =>
    Object.fromEntries(
      [...el.querySelectorAll('mat-form-field')].map((f) => [f.querySelector('[name]')!.getAttribute('name'), [...f.querySelectorAll('mat-error, mat-hint')].map((e) => e.textContent!.trim()).join(' | ')]),
    );
  return { http, fixture, el, messages };
}

describe('Sign-up form', () => {
  it('tells each field what is wrong with it, one message each in place of the hint, and sends nothing', async () => {
    const { http, fixture, messages } = await openSignup();
    expect(messages()).toEqual({ name: '', email: '', password: '8–128 characters with a letter and a digit' });
    await submit(fixture);
    expect(messages()).toEqual({ name: 'Enter a name of 2 to 100 characters', email: 'Enter a valid email address', password: 'Enter a password' });

    await typeInto(fixture, 'input[name=name]', ' A ');
    await typeInto(fixture, 'input[name=email]', 'ann@example');
    await typeInto(fixture, 'input[name=password]', 'short1');
    expect(messages()).toEqual({ name: 'Enter a name of 2 to 100 characters', email: 'Enter a valid email address', password: 'Use at least 8 characters' });
    await typeInto(fixture, 'input[name=password]', 'x'.repeat(129));
    expect(messages()['password']).toBe('That is too long (at most 128 characters)');
    http.expectNone('/api/auth/signup');
    http.verify();
  });

  it("sends a valid sign-up, and shows the server's refusal of the password once, under the password", async () => {
    const { http, fixture, el, messages } = await openSignup();
    await typeInto(fixture, 'input[name=name]', ' Ann Example ');
    await typeInto(fixture, 'input[name=email]', 'ann@example.com');
    await typeInto(fixture, 'input[name=password]', 'password1');
    await submit(fixture);
    const req = http.expectOne('/api/auth/signup');
    expect(req.request.body).toEqual({ name: 'Ann Example', email: 'ann@example.com', password: 'password1' });
    const refusal = 'That password is too common: choose one that is not on lists of breached passwords';
    req.flush(...apiError(400, 'VALIDATION_FAILED', refusal, [{ field: 'password', message: refusal }]));
    await settle(fixture);
    expect(messages()['password']).toBe(refusal);
    expect(el.textContent!.split(refusal).length - 1).toBe(1);
    http.verify();
  });
});
