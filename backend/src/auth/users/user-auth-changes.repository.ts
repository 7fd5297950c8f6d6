import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/config.service';

/** The channel the `users_auth_changed` trigger notifies on (migration UserAuthNotify). */
export const USER_AUTH_CHANNEL = 'user_auth_changed';

/** One LISTEN connection: `ready` settles once it listens; `close` ends it. */
export interface UserAuthChangeFeed {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL's notifications that a user's authentication state changed (the
 * `user_auth_changed` trigger, at commit): a dedicated connection, outside the
 * pool, that LISTENs on the channel.
 */
@Injectable()
export class UserAuthChangesRepository {
  constructor(private readonly config: AppConfig) {}

  /**
   * Opens the connection: `onChange` gets each changed user's id; `onLost` is
   * told (possibly more than once) when the connection fails or ends.
   */
  subscribe(onChange: (userId: string) => void, onLost: (why: string) => void): UserAuthChangeFeed {
    const client = new Client({ connectionString: this.config.values.databaseUrl, application_name: 'cryptovault-auth-cache' });
    client.on('notification', (n) => {
      if (n.channel === USER_AUTH_CHANNEL && n.payload) onChange(n.payload);
    });
    client.on('error', (e) => onLost(e.message));
    client.on('end', () => onLost('connection ended'));
    const ready = (async () => {
      await client.connect();
      await client.query(`LISTEN ${USER_AUTH_CHANNEL}`);
    })();
    return { ready, close: () => client.end().catch(() => undefined) };
  }
}
