import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideApiConfiguration } from './api/api-configuration';
import { routes } from './app.routes';
import { authInterceptor } from './core/http/auth.interceptor';
import { errorInterceptor } from './core/http/error.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // errorInterceptor is outermost: it sees what is left after the auth interceptor's refresh and retry.
    provideHttpClient(withFetch(), withInterceptors([errorInterceptor, authInterceptor])),
    // Same origin: the backend serves the API at /api (ng serve proxies it, see proxy.conf.json).
    provideApiConfiguration(''),
  ],
};
