import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { Role } from '../common/auth/auth-user';
import { AppConfig } from '../config/config.service';

/** What authenticating a request needs to know of its user. */
export interface UserAuthState {
  email: string;
  role: Role;
  suspended_at: Date | null;
  tokens_valid_after: Date;
}

/** The channel the `users_auth_changed` trigger notifies on (migration UserAuthNotify). */
export const USER_AUTH_CHANNEL = 'user_auth_changed';
/** A safety net only: a change takes effect when its notification arrives, within milliseconds. */
const TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;
const RECONNECT_MS = 1_000;

/**
 * The users' authentication state, cached in this process so an
 * authenticated request costs no database query. Correct because PostgreSQL
 * tells every instance, at commit, that a user's email, role, suspension or
 * tokens_valid_after changed (however it changed: the app or an operator's
 * SQL), and that entry is dropped:
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
  private readonly entries = new Map<string, { state: UserAuthState; expiresAt: number }>();
  private generation = 0;
  private listener: Client | undefined;
  private listening = false;
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.values.databaseUrl) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.drop();
    await this.listener?.end().catch(() => undefined);
  }

  /** The user's state (undefined: no such user), from the cache when it is known to be current. */
  async lookup(userId: string): Promise<UserAuthState | undefined> {
    const hit = this.entries.get(userId);
    if (hit && hit.expiresAt > Date.now()) return hit.state;
    const generation = this.generation;
    const [state] = await this.dataSource.query<UserAuthState[]>('SELECT email, role, suspended_at, tokens_valid_after FROM users WHERE id = $1', [userId]);
    if (state && this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(userId, { state, expiresAt: Date.now() + TTL_MS });
    }
    return state;
  }

  /** Drops a user's entry (after a commit that changed their state); other instances hear of it by notification. */
  forget(userId: string): void {
    this.generation++;
    this.entries.delete(userId);
  }

  private drop(): void {
    this.listening = false;
    this.generation++;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.values.databaseUrl, application_name: 'cryptovault-auth-cache' });
    const lost = (why: string): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.drop();
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`user change notifications lost (${why}); not caching until they are back`);
      this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    this.listener = client;
    client.on('notification', (n) => {
      if (n.channel === USER_AUTH_CHANNEL && n.payload) this.forget(n.payload);
    });
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${USER_AUTH_CHANNEL}`);
      if (this.listener !== client) return;
      this.entries.clear();
      this.generation++;
      this.listening = true;
    } catch (e) {
      lost((e as Error).message);
    }
  }
}
