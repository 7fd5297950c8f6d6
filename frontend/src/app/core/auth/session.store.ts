import { isPlatformServer } from '@angular/common';
import { Injectable, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { getMe } from '../../api/fn/auth/get-me';
import { logout } from '../../api/fn/auth/logout';
import { logoutAll } from '../../api/fn/auth/logout-all';
import type { UserDto } from '../../api/models';
import { optionalAuth, silentErrors } from '../http/http-context';

/** Who is signed in. `ready` resolves once the start-up "who am I" has answered. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(Api);
  /**
   * Bumped whenever who is signed in is set here (sign-in, sign-out): a "who am I" that was asked before answers for
   * the state before it, and is dropped (a sign-out is not undone by it, nor a fresh sign-in). Declared before
   * `ready`, whose reload reads it.
   */
  private generation = 0;
  readonly user = signal<UserDto | null>(null);
  readonly signedIn = computed(() => this.user() !== null);
  readonly isAdmin = computed(() => this.user()?.role === 'admin');
  /** A server render is a signed-out visitor's page (it has no session; the browser asks once it runs). */
  readonly ready: Promise<void> = isPlatformServer(inject(PLATFORM_ID)) ? Promise.resolve() : this.reload();

  async reload(): Promise<void> {
    const generation = this.generation;
    let user: UserDto | null;
    try {
      user = (await this.api.invoke(getMe, {}, optionalAuth())).user;
    } catch {
      user = null;
    }
    if (generation === this.generation) this.user.set(user);
  }

  setUser(user: UserDto): void {
    this.generation++;
    this.user.set(user);
  }

  async logout(): Promise<void> {
    try {
      await this.api.invoke(logout, {}, silentErrors());
    } finally {
      this.generation++;
      this.user.set(null);
    }
  }

  /** Ends every session of the account, this one included (then signed out here too). */
  async logoutEverywhere(): Promise<void> {
    await this.api.invoke(logoutAll, {});
    this.generation++;
    this.user.set(null);
  }
}
