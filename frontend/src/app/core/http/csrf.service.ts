import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { csrfToken } from '../../api/fn/health/csrf-token';
import { authMachinery } from './http-context';

/** Double-submit CSRF token: the `csrf_token` cookie, fetched from `/api/csrf` through the SDK when missing. */
@Injectable({ providedIn: 'root' })
export class CsrfService {
  private readonly api = inject(Api);
  private pending: Promise<string> | null = null;

  async token(forceFresh = false): Promise<string> {
    const cookie = forceFresh ? null : readCookie('csrf_token');
    if (cookie) return cookie;
    this.pending ??= this.api
      .invoke(csrfToken, {}, authMachinery())
      .then((res) => readCookie('csrf_token') ?? res.csrfToken)
      .finally(() => (this.pending = null));
    return this.pending;
  }
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}
