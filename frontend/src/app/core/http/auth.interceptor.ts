import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { CsrfService } from './csrf.service';
import { AUTH_MACHINERY, AUTH_OPTIONAL } from './http-context';
import { TokenRefresher } from '../auth/token-refresher';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Auth: cookies on every call (same origin: by default; another origin: withCredentials); the CSRF header on state-changing calls; on a 401
 * UNAUTHENTICATED one refresh through the SDK and one retry, else off to /login.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  // The API is on the page's own origin (provideApiConfiguration('')): a same-origin call carries the cookies by
  // default (fetch's credentials: 'same-origin'). Not marked withCredentials, so the public reads a server render
  // made are taken from the page (Angular's transfer cache skips a request marked so) instead of asked again.
  const withCookies = /^[a-z][a-z0-9+.-]*:\/\//i.test(req.url) ? req.clone({ withCredentials: true }) : req;
  const csrf = inject(CsrfService);
  const refresher = inject(TokenRefresher);
  const router = inject(Router);

  const send = (r: HttpRequest<unknown>, freshCsrf = false) =>
    SAFE_METHODS.has(r.method)
      ? next(r)
      : from(csrf.token(freshCsrf)).pipe(switchMap((t) => next(r.clone({ setHeaders: { 'X-CSRF-Token': t } }))));

  // The refresh call itself (and the CSRF fetch) must not recurse into refresh handling.
  if (req.context.get(AUTH_MACHINERY)) return send(withCookies);

  return send(withCookies).pipe(
    catchError((err: unknown) => {
      const code = err instanceof HttpErrorResponse ? (err.error as { error?: { code?: string } } | null)?.error?.code : undefined;
      if (err instanceof HttpErrorResponse && err.status === 403 && code === 'CSRF_INVALID') {
        return send(withCookies, true);
      }
      if (err instanceof HttpErrorResponse && err.status === 401 && code === 'UNAUTHENTICATED') {
        return from(refresher.refresh()).pipe(
          switchMap((ok) => {
            if (ok) return send(withCookies);
            if (!req.context.get(AUTH_OPTIONAL)) {
              void router.navigate(['/login'], { queryParams: { returnUrl: router.url } });
            }
            return throwError(() => err);
          }),
        );
      }
      return throwError(() => err);
    }),
  );
};
