import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/config.service';
import { USER_AUTH_CHANNEL, type UserAuthChangeFeed, UserAuthChangesRepository } from './users/user-auth-changes.repository';
import { type UserAuthState, UsersRepository } from './users/users.repository';

export { USER_AUTH_CHANNEL, type UserAuthState };
/** A safety net only: a change takes effect when its notification arrives, within milliseconds. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;
const RECONNECT_MS = 1_000;

/**
 * The users' authentication state with their sessions' revocation, cached in
 * this process so an authenticated request costs no database query. Correct
 * because PostgreSQL tells every instance, at commit, that a user's email,
 * role, suspension or tokens_valid_after changed, or that one of their
 * sessions ended (however it changed: the app or an operator's SQL), and that
 * user's entries are dropped:
 * - a lookup that raced a change (read the old row, the notification came
 *   before it stored it) does not store it: any notification bumps a
 *   generation that the lookup compares before storing;
 * - while the notification connection is down nothing is cached (every
 *   request reads the database, as without the cache), and the cache starts
 *   empty when it is back, since notifications may have been missed;
 * - the embedded database (PGlite, one process) does not cache at all.
 * The app's own writes also call `forget` after their commit, so a change
 * made through this instance applies to its next request without waiting
 * for the notification.
 */
@Injectable()
export class UserAuthCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UserAuthCache');
  /** user id → session id → state. */
  private readonly entries = new Map<string, Map<string, { state: UserAuthState; expiresAt: number }>>();
  private size = 0;
  private generation = 0;
  private listener: UserAuthChangeFeed | undefined;
  private listening = false;
  /** The notification connection was lost at least once (so changes may have been missed meanwhile). */
  private lostOnce = false;
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;
  private readonly changeListeners = new Set<(userId: string | undefined) => void>();

  constructor(
    private readonly users: UsersRepository,
    private readonly changes: UserAuthChangesRepository,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.values.databaseUrl) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.drop();
    await this.listener?.close();
  }

  /**
   * The user's state with that of the token's session (undefined: no such
   * user), from the cache when it is known to be current. Only a live session
   * is cached: an unknown or ended one is read again each time.
   */
  async lookup(userId: string, sessionId: string): Promise<UserAuthState | undefined> {
    const hit = this.entries.get(userId)?.get(sessionId);
    if (hit && hit.expiresAt > Date.now()) return hit.state;
    const generation = this.generation;
    const state = await this.users.authState(userId, sessionId);
    if (state?.session_found && !state.session_revoked_at && this.listening && generation === this.generation) {
      if (this.size >= MAX_ENTRIES) this.clear();
      let sessions = this.entries.get(userId);
      if (!sessions) this.entries.set(userId, (sessions = new Map()));
      if (!sessions.has(sessionId)) this.size++;
      sessions.set(sessionId, { state, expiresAt: Date.now() + TTL_MS });
    }
    return state;
  }

  /** Drops a user's entries (after a commit that changed their state or ended a session); other instances hear of it by notification. */
  forget(userId: string): void {
    this.generation++;
    this.size -= this.entries.get(userId)?.size ?? 0;
    this.entries.delete(userId);
    this.changed(userId);
  }

  /**
   * Calls `listener` with a user's id as soon as this instance learns that the
   * user's authentication state changed (a session ended, a suspension, a
   * password reset...): from this instance's own commit (`forget`) or, on every
   * other instance, from the PostgreSQL notification. `undefined`: anyone's may
   * have changed (notifications were lost and are back). Returns the unsubscribe.
   */
  onChange(listener: (userId: string | undefined) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(userId: string | undefined): void {
    for (const listener of this.changeListeners) {
      try {
        listener(userId);
      } catch (e) {
        this.logger.warn(`a user change listener failed: ${(e as Error).message}`);
      }
    }
  }

  private clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  private drop(): void {
    this.listening = false;
    this.generation++;
    this.clear();
  }

  private async listen(): Promise<void> {
    const lost = (why: string): void => {
      if (this.listener !== feed) return;
      this.listener = undefined;
      this.drop();
      this.lostOnce = true;
      void feed.close();
      if (this.stopped) return;
      this.logger.warn(`user change notifications lost (${why}); not caching until they are back`);
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    const feed = this.changes.subscribe(
      (userId) => this.forget(userId),
      (why) => lost(why),
    );
    this.listener = feed;
    try {
      await feed.ready;
      if (this.listener !== feed) return;
      this.clear();
      this.generation++;
      const wasDown = this.lostOnce;
      this.listening = true;
      // Changes made while nobody listened were not heard: whoever holds on to a user's state re-checks it.
      if (wasDown) this.changed(undefined);
    } catch (e) {
      lost((e as Error).message);
    }
  }
}
