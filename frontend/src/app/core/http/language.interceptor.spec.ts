import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../api/api';
import { getMe } from '../../api/fn/auth/get-me';
import { signup } from '../../api/fn/auth/signup';
import { LANGUAGES, activeLanguage, preferredLanguage, setActiveLanguage } from '../i18n/language';
import { ApiError } from './api-error';
import { authInterceptor } from './auth.interceptor';
import { errorInterceptor } from './error.interceptor';
import { languageInterceptor } from './language.interceptor';
import { silentErrors } from './http-context';

const language = (code: string) => LANGUAGES.find((l) => l.code === code)!;

describe('languageInterceptor', () => {
  let http: HttpTestingController;
  let api: Api;
  const before = activeLanguage();

  beforeEach(() => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        // As app.config.ts registers them.
        provideHttpClient(withInterceptors([errorInterceptor, authInterceptor, languageInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    api = TestBed.inject(Api);
  });

  afterEach(() => {
    http.verify();
    setActiveLanguage(before);
    localStorage.removeItem('cv-lang');
  });

  it.each(['de', 'es', 'en'])('asks the API for the language the app runs in (%s)', async (code) => {
    setActiveLanguage(language(code));
    const done = api.invoke(getMe, {});
    const req = http.expectOne('/api/auth/me');
    expect(req.request.headers.get('Accept-Language')).toBe(code);
    req.flush({ user: { id: 'u' } });
    await done;
  });

  it('sends the language chosen in Settings (remembered as cv-lang) once main.ts has started the app in it', async () => {
    localStorage.setItem('cv-lang', 'es');
    setActiveLanguage(preferredLanguage());
    const done = firstValueFrom(TestBed.inject(HttpClient).get('/api/anything'));
    const req = http.expectOne('/api/anything');
    expect(req.request.headers.get('Accept-Language')).toBe('es');
    req.flush({});
    await done;
  });

  it('asks on state-changing calls too, and shows the message the API answered in that language', async () => {
    setActiveLanguage(language('de'));
    const done = api.invoke(signup, { body: { email: 'x', password: 'y', name: 'z' } }, silentErrors());
    await new Promise((r) => setTimeout(r, 0));
    const req = http.expectOne('/api/auth/signup');
    expect(req.request.headers.get('Accept-Language')).toBe('de');
    expect(req.request.headers.get('X-CSRF-Token')).toBe('abcdefabcdefabcdef');
    req.flush(
      {
        statusCode: 400,
        error: { code: 'VALIDATION_FAILED', message: 'Geben Sie eine gültige E-Mail-Adresse ein', details: [{ field: 'email', message: 'Geben Sie eine gültige E-Mail-Adresse ein' }] },
        requestId: 'r',
      },
      { status: 400, statusText: 'Bad Request', headers: { 'Content-Language': 'de' } },
    );
    const err = (await done.catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.fieldErrors).toEqual({ email: 'Geben Sie eine gültige E-Mail-Adresse ein' });
  });

  it('leaves a language a call asks for itself', async () => {
    setActiveLanguage(language('de'));
    const done = firstValueFrom(TestBed.inject(HttpClient).get('/api/anything', { headers: { 'Accept-Language': 'es' } }));
    const req = http.expectOne('/api/anything');
    expect(req.request.headers.get('Accept-Language')).toBe('es');
    req.flush({});
    await done;
  });
});
