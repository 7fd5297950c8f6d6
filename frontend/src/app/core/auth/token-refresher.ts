import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { refreshTokens } from '../../api/fn/auth/refresh-tokens';
import { authMachinery } from '../http/http-context';

/** One refresh at a time (the refresh cookie rotates), shared by every request that hit a 401 meanwhile. */
@Injectable({ providedIn: 'root' })
export class TokenRefresher {
  private readonly api = inject(Api);
  private pending: Promise<boolean> | null = null;

  refresh(): Promise<boolean> {
    this.pending ??= this.api
      .invoke(refreshTokens, { body: {} }, authMachinery())
      .then(() => true)
      .catch(() => false)
      .finally(() => (this.pending = null));
    return this.pending;
  }
}
