import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, LOCALE_ID, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideApiConfiguration } from './api/api-configuration';
import { routes } from './app.routes';
import { activeLanguage } from './core/i18n/language';
import { authInterceptor } from './core/http/auth.interceptor';
import { errorInterceptor } from './core/http/error.interceptor';
import { languageInterceptor } from './core/http/language.interceptor';
import { serverRenderInterceptor } from './core/http/server-render.interceptor';
import { stepUpInterceptor } from './core/http/step-up.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // errorInterceptor is outermost: it sees what is left after the step-up dialog's retry and the auth interceptor's
    // refresh and retry (each retry goes through the auth interceptor again: cookies, CSRF). languageInterceptor is
    // innermost but one, so every request that leaves, retries and the refresh included, asks for the app's language;
    // serverRenderInterceptor (a no-op in the browser) gives a server render's API calls the headers the backend handed
    // the render (the visitor's address) and counts the failed ones.
    provideHttpClient(withFetch(), withInterceptors([errorInterceptor, stepUpInterceptor, authInterceptor, languageInterceptor, serverRenderInterceptor])),
    // Same origin: the backend serves the API at /api (ng serve proxies it, see proxy.conf.json).
    provideApiConfiguration(''),
    // Figures and dates in the language the app runs in (main.ts chose it and loaded its translations).
    { provide: LOCALE_ID, useValue: activeLanguage().tag },
  ],
};
