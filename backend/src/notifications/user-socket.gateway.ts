import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { AccessTokenService } from '../auth/access-tokens.service';
import { ACCESS_COOKIE } from '../auth/auth.constants';
import { UserAuthCache } from '../auth/user-auth-cache';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { clientIp, compileTrustProxy, type TrustProxy } from '../common/http/client-ip';
import { isAllowedOrigin } from '../common/http/origin';
import { AppConfig } from '../config/config.service';
import { MetricsService } from '../metrics/metrics.service';
import { isControlMessage } from './user-events';
import { UserEventsService } from './user-events.service';
import { isUserSocketClientType, USER_SOCKET_CLOSE, type UserSocketServerMessage } from './user-socket.messages';

/** Close codes: 4401 = authentication required or ended; 4429 = the user has too many sockets open. */
const CLOSE_UNAUTHENTICATED = USER_SOCKET_CLOSE.unauthenticated;
const CLOSE_TOO_MANY = USER_SOCKET_CLOSE.tooMany;

type VerifyClient = (
  info: { origin?: string; req: IncomingMessage },
  done: (ok: boolean, status?: number, message?: string, headers?: OutgoingHttpHeaders) => void,
) => void;

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

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
}

/** The access token of an upgrade request: `Authorization: Bearer …` or the access_token cookie. */
export function upgradeToken(req: IncomingMessage): string | undefined {
  return bearerToken(req) ?? cookieToken(req);
}

/** The access_token cookie of an upgrade request (what a browser sends on its own, from any page). */
function cookieToken(req: IncomingMessage): string | undefined {
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
 * as the HTTP guard (access tokens only, revocation, suspension).
 *
 * Limits (per instance): WS_USER_MAX_CONNECTIONS_PER_IP sockets per client
 * address (by the app's one client-address rule, see clientIp), refused at the
 * handshake with 429; WS_USER_MAX_CONNECTIONS_PER_USER per user, the one over
 * it closed with 4429 TOO_MANY_CONNECTIONS (the sockets already open are kept,
 * so a stolen token cannot push the owner's sockets out); a socket that has not
 * authenticated after WS_AUTH_TIMEOUT_MS is closed (4401 AUTH_TIMEOUT). A
 * handshake that a browser authenticates with the cookie must come from the
 * app's own origin or one on the CORS allow-list (403 otherwise), so a page on
 * another site cannot open the victim's event stream.
 *
 * A socket closes (4401) as soon as its session ends (logout, revocation,
 * password change or reset, suspension) on every instance: the auth cache
 * tells this gateway of each change to a user (its own commits, and every other
 * instance's through PostgreSQL's notification), and the user's sockets re-check
 * their tokens then. Tokens are also re-checked at every heartbeat, and the
 * socket closes when its token expires.
 */
@WebSocketGateway({ path: '/ws/user', maxPayload: 16 * 1024 })
export class UserSocketGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('UserSocket');
  private readonly clients = new Map<WebSocket, ClientState>();
  /** Signed-in sockets of each user on this instance. */
  private readonly byUser = new Map<string, Set<WebSocket>>();
  /** Sockets (and handshakes in progress) per client address. */
  private readonly perIp = new Map<string, number>();
  private readonly trustProxy: TrustProxy;
  private readonly allowedOrigins: ReadonlySet<string>;
  private heartbeat?: NodeJS.Timeout;
  private unsubscribeChanges?: () => void;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly events: UserEventsService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly authCache: UserAuthCache,
  ) {
    this.trustProxy = compileTrustProxy(config.values.trustProxy);
    this.allowedOrigins = new Set(config.values.corsOrigins);
  }

  /** Handshakes are checked by ws' verifyClient hook, before any socket exists (see verify). */
  afterInit(server: WebSocketServer): void {
    (server.options as { verifyClient?: VerifyClient }).verifyClient = (info, done) => this.verify(info.req, done);
  }

  onModuleInit(): void {
    // WS_HEARTBEAT_MS, shared with /ws/prices: a socket that missed the last pong is terminated.
    this.heartbeat = setInterval(() => this.beat(), this.config.values.wsHeartbeatMs);
    this.heartbeat.unref();
    this.unsubscribeChanges = this.authCache.onChange((userId) => this.userChanged(userId));
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.unsubscribeChanges?.();
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

  /**
   * The handshake: refused with 429 when the client address has its share of
   * sockets open, and with 403 when the browser authenticates it with the
   * cookie from a page off the allow-list (a Bearer header or an auth message
   * is a token the page had to know: no cross-site risk). The address's count
   * is taken here and given back when the connection closes, whatever happens between.
   */
  private verify(req: IncomingMessage, done: Parameters<VerifyClient>[1]): void {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !bearerToken(req) && cookieToken(req) && !isAllowedOrigin(origin, req.headers, this.allowedOrigins)) {
      return done(false, 403, 'Forbidden');
    }
    const ip = clientIp(req, this.trustProxy);
    const open = this.perIp.get(ip) ?? 0;
    if (open >= this.config.values.wsUserMaxConnectionsPerIp) return done(false, 429, 'Too Many Requests', { 'Retry-After': '10' });
    this.perIp.set(ip, open + 1);
    req.socket.once('close', () => {
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
    });
    done(true);
  }

  handleConnection(client: WebSocket, req: IncomingMessage): void {
    const state: ClientState = { alive: true, pending: Promise.resolve() };
    this.clients.set(client, state);
    this.metrics.wsOpened('/ws/user');
    client.once('close', (code: number) => this.metrics.wsClosed('/ws/user', code));
    client.on('pong', () => (state.alive = true));
    client.on('message', (data: RawData, isBinary: boolean) => this.onMessage(client, state, data, isBinary));
    state.authTimer = setTimeout(() => {
      if (!state.user) this.closeUnauthenticated(client, 'AUTH_TIMEOUT', 'Send {"type":"auth","token":"…"} first');
    }, this.config.values.wsAuthTimeoutMs);
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
    if (state.user) this.untrack(state.user.id, client);
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
    if (!isUserSocketClientType(type)) {
      this.sendError(client, 'UNKNOWN_MESSAGE', `Unknown message type "${type.slice(0, 32)}"`);
      return;
    }
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
      default: {
        // Every type of USER_SOCKET_CLIENT_MESSAGE_TYPES has its case (a compile error otherwise).
        const unhandled: never = type;
        this.sendError(client, 'UNKNOWN_MESSAGE', `Unknown message type "${String(unhandled)}"`);
      }
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
      // Counted before the first await, so sockets authenticating together cannot all pass the check.
      const mine = this.byUser.get(user.id) ?? new Set<WebSocket>();
      if (mine.size >= this.config.values.wsUserMaxConnectionsPerUser) {
        this.sendError(client, 'TOO_MANY_CONNECTIONS', `At most ${this.config.values.wsUserMaxConnectionsPerUser} sockets per user; close another one first`);
        client.close(CLOSE_TOO_MANY, 'TOO_MANY_CONNECTIONS');
        return false;
      }
      mine.add(client);
      this.byUser.set(user.id, mine);
      state.user = user;
      try {
        state.unlisten = await this.events.listen(user.id, (message) => {
          if (isControlMessage(message)) this.revalidate(client, state);
          else this.send(client, message);
        });
      } catch (e) {
        // Not signed in after all (the auth timeout still applies): give the slot back.
        state.user = undefined;
        this.untrack(user.id, client);
        throw e;
      }
      if (!this.clients.has(client)) {
        await state.unlisten();
        return false;
      }
    }
    state.user = user;
    state.token = token;
    clearTimeout(state.authTimer);
    clearTimeout(state.expiryTimer);
    state.expiryTimer = setTimeout(
      () => this.closeUnauthenticated(client, 'TOKEN_EXPIRED', 'The access token expired; reconnect with a fresh one'),
      Math.max(0, user.exp * 1000 - Date.now()),
    );
    this.send(client, { type: 'authenticated', userId: user.id, expiresAt: new Date(user.exp * 1000).toISOString(), timestamp: new Date().toISOString() });
    return true;
  }

  private untrack(userId: string, client: WebSocket): void {
    const mine = this.byUser.get(userId);
    if (!mine) return;
    mine.delete(client);
    if (mine.size === 0) this.byUser.delete(userId);
  }

  /** A user's sessions or account changed (or anyone's, when `userId` is undefined): their sockets re-check their tokens now. */
  private userChanged(userId: string | undefined): void {
    if (userId === undefined) {
      for (const [client, state] of this.clients) this.revalidate(client, state);
      return;
    }
    for (const client of this.byUser.get(userId) ?? []) {
      const state = this.clients.get(client);
      if (state) this.revalidate(client, state);
    }
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

  /** Only the messages of user-socket.messages.ts, which the AsyncAPI document describes, can be sent. */
  private send(client: WebSocket, payload: UserSocketServerMessage): void {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(payload));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
