import type { Response } from 'express';
import { CSRF_COOKIE } from './csrf-tokens.service';
import { ACCESS_COOKIE, ACCESS_TOKEN_TTL_SECONDS, REFRESH_COOKIE, REFRESH_COOKIE_PATH, REFRESH_TOKEN_TTL_MS } from './auth.constants';

/**
 * The session cookies: `access_token` (HttpOnly, Lax, path /) for every API
 * call, `refresh_token` (HttpOnly, Strict, only sent to /api/auth).
 */
export function setAuthCookies(res: Response, tokens: { accessToken: string; refreshToken: string }, secure: boolean): void {
  // The answer carries the tokens (cookies and body): never stored by a cache.
  res.setHeader('Cache-Control', 'no-store');
  res.cookie(ACCESS_COOKIE, tokens.accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: ACCESS_TOKEN_TTL_SECONDS * 1000 });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, { httpOnly: true, sameSite: 'strict', secure, path: REFRESH_COOKIE_PATH, maxAge: REFRESH_TOKEN_TTL_MS });
}

export function clearAuthCookies(res: Response, secure: boolean): void {
  res.clearCookie(ACCESS_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: REFRESH_COOKIE_PATH });
}

/**
 * The double-submit CSRF cookie: readable by the client's scripts (it echoes it in
 * X-CSRF-Token), Strict, session-long. Its value is bound to the session (CsrfTokens).
 */
export function setCsrfCookie(res: Response, token: string, secure: boolean): void {
  res.cookie(CSRF_COOKIE, token, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}
