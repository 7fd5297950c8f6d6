import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../api/api';
import { createOrder } from '../../api/fn/orders/create-order';
import { getMe } from '../../api/fn/auth/get-me';
import { ApiError } from './api-error';
import { authInterceptor } from './auth.interceptor';
import { errorInterceptor } from './error.interceptor';

function clearCookies(): void {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

describe('auth and error interceptors', () => {
  let http: HttpTestingController;
  let api: Api;

  beforeEach(() => {
    clearCookies();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([errorInterceptor, authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    api = TestBed.inject(Api);
    TestBed.inject(HttpClient);
  });

  afterEach(() => http.verify());

  const order = { symbol: 'BTC', side: 'buy' as const, type: 'market' as const, quoteAmount: '10' };
  const flushAsync = () => new Promise((r) => setTimeout(r, 0));

  it('echoes the csrf_token cookie in X-CSRF-Token on a POST (same origin: the cookies go by default)', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    const done = api.invoke(createOrder, { 'Idempotency-Key': 'k1', body: order });
    await flushAsync();
    const req = http.expectOne('/api/orders');
    expect(req.request.withCredentials).toBe(false);
    expect(req.request.headers.get('X-CSRF-Token')).toBe('abcdefabcdefabcdef');
    req.flush({ order: { id: '1' } });
    await expect(done).resolves.toEqual({ order: { id: '1' } });
  });

  it('fetches /api/csrf through the SDK first when there is no csrf cookie', async () => {
    const done = api.invoke(createOrder, { 'Idempotency-Key': 'k2', body: order });
    await flushAsync();
    http.expectOne('/api/csrf').flush({ csrfToken: 'fromthebodyfromthebody' });
    await flushAsync();
    const req = http.expectOne('/api/orders');
    expect(req.request.headers.get('X-CSRF-Token')).toBe('fromthebodyfromthebody');
    req.flush({ order: { id: '2' } });
    await done;
  });

  it('does not add the CSRF header on a GET', async () => {
    const done = api.invoke(getMe, {});
    await flushAsync();
    const req = http.expectOne('/api/auth/me');
    expect(req.request.headers.has('X-CSRF-Token')).toBe(false);
    // Not marked withCredentials: Angular's transfer cache then takes a server render's public reads from the page.
    expect(req.request.withCredentials).toBe(false);
    req.flush({ user: { id: 'u' } });
    await done;
  });

  it('refreshes once on 401 UNAUTHENTICATED and retries the request', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    const done = api.invoke(getMe, {});
    await flushAsync();
    http.expectOne('/api/auth/me').flush({ statusCode: 401, error: { code: 'UNAUTHENTICATED', message: 'no' }, requestId: 'r' }, { status: 401, statusText: 'Unauthorized' });
    await flushAsync();
    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.headers.get('X-CSRF-Token')).toBe('abcdefabcdefabcdef');
    refresh.flush({ user: { id: 'u' } });
    await flushAsync();
    http.expectOne('/api/auth/me').flush({ user: { id: 'u' } });
    await expect(done).resolves.toEqual({ user: { id: 'u' } });
  });

  it('goes to /login when the refresh fails', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const done = api.invoke(getMe, {});
    await flushAsync();
    const unauth = { statusCode: 401, error: { code: 'UNAUTHENTICATED', message: 'Sign in' }, requestId: 'r' };
    http.expectOne('/api/auth/me').flush(unauth, { status: 401, statusText: 'Unauthorized' });
    await flushAsync();
    http.expectOne('/api/auth/refresh').flush({ ...unauth, error: { code: 'TOKEN_REVOKED', message: 'x' } }, { status: 401, statusText: 'Unauthorized' });
    await expect(done).rejects.toBeInstanceOf(ApiError);
    expect(navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('turns the error shape into an ApiError exposing field messages', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    const done = api.invoke(createOrder, { 'Idempotency-Key': 'k3', body: order });
    await flushAsync();
    http.expectOne('/api/orders').flush(
      {
        statusCode: 400,
        error: { code: 'VALIDATION_FAILED', message: 'Invalid request', details: [{ field: 'quoteAmount', message: 'must be a decimal string' }] },
        requestId: 'req-1',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const err = (await done.catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.requestId).toBe('req-1');
    expect(err.fieldErrors).toEqual({ quoteAmount: 'must be a decimal string' });
  });
});
