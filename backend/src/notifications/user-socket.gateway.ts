import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { AccessTokenService } from '../auth/access-tokens.service';
import { ACCESS_COOKIE } from '../auth/auth.constants';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { MetricsService } from '../metrics/metrics.service';
import { isControlMessage } from './user-events';
import { UserEventsService } from './user-events.service';

/** A socket has this long to authenticate. */
const AUTH_TIMEOUT_MS = 10_000;
/** Close codes: 4401 = authentication required or ended. */
const CLOSE_UNAUTHENTICATED = 4401;

interface ClientState {
  user?: AuthUser;
  token?: string;
  alive: boolean;
  authTimer?: NodeJS.Timeout;
  expiryTimer?: NodeJS.Timeout;
  unlisten?: () => Promise<void>;
  /** Serialises a socket's auth steps (cookie at connect, then messages). */
  pending: Promise<void>;
}

/** The access token of an upgrade request: `Authorization: Bearer …` or the access_token cookie. */
export function upgradeToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
  if (bearer) return bearer;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === ACCESS_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * `/ws/user`: a signed-in user's realtime events (order fills, alerts,
 * deposits, withdrawals, notifications), from whichever instance produced
 * them. Authenticated by the access_token cookie (or a Bearer header) at the
 * upgrade, or by a first message `{type:"auth", token}`, with the same checks
 * as the HTTP guard (access tokens only, revocation, suspension). Tokens are
 * re-checked at every heartbeat and the socket closes when its token expires.
 */
@WebSocketGateway({ path: '/ws/user', maxPayload: 16 * 1024 })
export class UserSocketGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('UserSocket');
  private readonly clients = new Map<WebSocket, ClientState>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly events: UserEventsService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // WS_HEARTBEAT_MS, shared with /ws/prices: a socket that missed the last pong is terminated.
    this.heartbeat = setInterval(() => this.beat(), this.config.values.wsHeartbeatMs);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients.keys()) client.terminate();
  }

  /** Graceful shutdown: every socket is closed with 1001 "going away"; resolves once they are closed. */
  async goingAway(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all(
      [...this.clients.keys()].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.readyState === client.CLOSED) return resolve();
            client.once('close', () => resolve());
            client.close(1001, 'server shutting down');
          }),
      ),
    );
  }

  handleConnection(client: WebSocket, req: IncomingMessage): void {
    const state: ClientState = { alive: true, pending: Promise.resolve() };
    this.clients.set(client, state);
    this.metrics.wsOpened('/ws/user');
    client.on('pong', () => (state.alive = true));
    client.on('message', (data: RawData, isBinary: boolean) => this.onMessage(client, state, data, isBinary));
    state.authTimer = setTimeout(() => {
      if (!state.user) this.closeUnauthenticated(client, 'AUTH_TIMEOUT', 'Send {"type":"auth","token":"…"} first');
    }, AUTH_TIMEOUT_MS);
    const token = upgradeToken(req);
    if (!token) {
      this.send(client, { type: 'connection', status: 'awaiting_auth', timestamp: new Date().toISOString() });
      return;
    }
    this.serialise(state, async () => {
      const ok = await this.authenticate(client, state, token);
      if (!ok) this.send(client, { type: 'connection', status: 'awaiting_auth', timestamp: new Date().toISOString() });
    });
  }

  handleDisconnect(client: WebSocket): void {
    const state = this.clients.get(client);
    this.clients.delete(client);
    if (!state) return;
    this.metrics.wsClosed('/ws/user');
    clearTimeout(state.authTimer);
    clearTimeout(state.expiryTimer);
    const unlisten = state.unlisten;
    state.unlisten = undefined;
    void unlisten?.().catch(() => undefined);
  }

  private onMessage(client: WebSocket, state: ClientState, data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(rawText(data));
    } catch {
      message = undefined;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message) || typeof (message as { type?: unknown }).type !== 'string') {
      this.sendError(client, 'INVALID_MESSAGE', 'Messages are JSON objects with a "type"');
      return;
    }
    const { type, token } = message as { type: string; token?: unknown };
    switch (type) {
      case 'ping':
        this.send(client, { type: 'pong', timestamp: new Date().toISOString() });
        return;
      case 'auth':
        if (typeof token !== 'string' || !token) {
          this.sendError(client, 'INVALID_MESSAGE', 'auth needs a "token" string');
          return;
        }
        this.serialise(state, async () => {
          await this.authenticate(client, state, token);
        });
        return;
      default:
        this.sendError(client, 'UNKNOWN_MESSAGE', `Unknown message type "${type.slice(0, 32)}"`);
    }
  }

  /** Checks the token; on success subscribes to the user's events (once) and answers `authenticated`. */
  private async authenticate(client: WebSocket, state: ClientState, token: string): Promise<boolean> {
    let user: AuthUser;
    try {
      user = await this.tokens.authenticate(token);
    } catch (e) {
      this.sendError(client, e instanceof AppError ? e.code : 'UNAUTHENTICATED', e instanceof AppError ? e.message : 'The token could not be checked');
      return false;
    }
    if (!this.clients.has(client)) return false;
    if (state.user && state.user.id !== user.id) {
      this.sendError(client, 'FORBIDDEN', 'This socket is signed in as another user; open a new one');
      return false;
    }
    if (!state.user) {
      state.unlisten = await this.events.listen(user.id, (message) => {
        if (isControlMessage(message)) this.revalidate(client, state);
        else this.send(client, message);
      });
      if (!this.clients.has(client)) {
        await state.unlisten();
        return false;
      }
    }
    state.user = user;
    state.token = token;
    clearTimeout(state.authTimer);
    clearTimeout(state.expiryTimer);
    state.expiryTimer = setTimeout(() => this.closeUnauthenticated(client, 'TOKEN_EXPIRED', 'The access token expired; reconnect with a fresh one'), Math.max(0, user.exp * 1000 - Date.now()));
    this.send(client, { type: 'authenticated', userId: user.id, expiresAt: new Date(user.exp * 1000).toISOString(), timestamp: new Date().toISOString() });
    return true;
  }

  /** Drops sockets that missed the last ping, pings the rest, and re-checks signed-in tokens (logout, suspension). */
  private beat(): void {
    for (const [client, state] of this.clients) {
      if (!state.alive) {
        client.terminate();
        continue;
      }
      state.alive = false;
      client.ping();
      this.revalidate(client, state);
    }
  }

  /** Re-checks a signed-in socket's token; a revoked or suspended one closes the socket. */
  private revalidate(client: WebSocket, state: ClientState): void {
    const { user, token } = state;
    if (!user || !token) return;
    this.serialise(state, async () => {
      try {
        await this.tokens.authenticate(token);
      } catch (e) {
        if (e instanceof AppError && e.status < 500) this.closeUnauthenticated(client, e.code, e.message);
      }
    });
  }

  private serialise(state: ClientState, work: () => Promise<void>): void {
    state.pending = state.pending.then(work).catch((e: unknown) => this.logger.warn(`socket step failed: ${(e as Error).message}`));
  }

  private closeUnauthenticated(client: WebSocket, code: string, message: string): void {
    this.sendError(client, code, message);
    client.close(CLOSE_UNAUTHENTICATED, code);
  }

  private sendError(client: WebSocket, code: string, message: string): void {
    this.send(client, { type: 'error', code, message });
  }

  private send(client: WebSocket, payload: object): void {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(payload));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
