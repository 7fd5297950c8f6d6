import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { authInterceptor } from '../../core/http/auth.interceptor';
import { errorInterceptor } from '../../core/http/error.interceptor';
import { apiError, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { LoginPage } from './login.page';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LoginPage', () => {
  it('asks for the two-factor code when the API answers TWO_FACTOR_REQUIRED, then logs in with it', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([errorInterceptor, authInterceptor])), provideHttpClientTesting()],
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(LoginPage);
    await tick();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;

    const type = async (selector: string, value: string) => {
      const input = el.querySelector<HTMLInputElement>(selector)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await tick();
    await fixture.whenStable();
    };
    await type('input[name=email]', 'ada@example.com');
    await type('input[name=password]', 'correct horse 1');
    el.querySelector('form')!.dispatchEvent(new Event('submit'));
    await tick();
    const first = http.expectOne('/api/auth/login');
    expect(first.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse 1' });
    first.flush(
      { statusCode: 401, error: { code: 'TWO_FACTOR_REQUIRED', message: 'Two-factor code required' }, requestId: 'r' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('input[name=code]')).not.toBeNull();

    await type('input[name=code]', '123456');
    el.querySelector('form')!.dispatchEvent(new Event('submit'));
    await tick();
    const second = http.expectOne('/api/auth/login');
    expect(second.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse 1', twoFactorCode: '123456' });
    second.flush({ user: { id: 'u', name: 'Ada' }, accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    await tick();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/dashboard');
    http.match('/api/auth/me').forEach((r) => r.flush({ user: { id: 'u' } }));
    http.verify();
  });

  it('tells the owner of a frozen account to reset the password by email, with the link', async () => {
    const http = await setUpApp();
    const fixture = TestBed.createComponent(LoginPage);
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    await typeInto(fixture, 'input[name=email]', 'ada@example.com');
    await typeInto(fixture, 'input[name=password]', 'correct horse 1');
    await submit(fixture);
    http
      .expectOne('/api/auth/login')
      .flush(...apiError(403, 'ACCOUNT_FROZEN', 'This account is frozen because its owner reported activity that wasn\'t theirs. To unfreeze it, reset your password by email.'));
    await settle(fixture);
    expect(el.querySelector('[role=alert]')!.textContent).toContain('This account is frozen');
    const hint = el.querySelector('[data-testid=login-frozen]')!;
    expect(hint.querySelector('a')!.getAttribute('href')).toBe('/forgot-password');
    expect(hint.textContent).toContain('to unfreeze your account');
    http.match('/api/auth/me').forEach((r) => r.flush({ user: null }));
    http.verify();
  });
});
