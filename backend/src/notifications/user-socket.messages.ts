import { USER_EVENT_TYPES, type UserEvent } from './user-events';

/**
 * Every message of `/ws/user`, in both directions: the one list the gateway's send helper accepts and
 * the AsyncAPI document (backend/src/asyncapi) describes. The user events (order_filled, …) come
 * from USER_EVENT_TYPES, so a new event kind is in the document's list the moment it can be sent.
 */
export const USER_SOCKET_SERVER_MESSAGE_TYPES = ['connection', 'authenticated', 'pong', 'error', ...USER_EVENT_TYPES] as const;
export type UserSocketServerMessageType = (typeof USER_SOCKET_SERVER_MESSAGE_TYPES)[number];

/** What a client may send; anything else is answered with `error` UNKNOWN_MESSAGE. */
export const USER_SOCKET_CLIENT_MESSAGE_TYPES = ['auth', 'ping'] as const;
export type UserSocketClientMessageType = (typeof USER_SOCKET_CLIENT_MESSAGE_TYPES)[number];

/** Close codes of `/ws/user` (besides 1001 when the server shuts down). */
export const USER_SOCKET_CLOSE = {
  /** Not signed in within WS_AUTH_TIMEOUT_MS, the token expired, or the session ended (logout, revocation, suspension). */
  unauthenticated: 4401,
  /** Over WS_USER_MAX_CONNECTIONS_PER_USER: the newest socket is closed, the open ones are kept. */
  tooMany: 4429,
} as const;

/**
 * The `code` of an `error` message. The codes of a failed token check are the HTTP API's
 * (UNAUTHENTICATED, TOKEN_REVOKED, ACCOUNT_SUSPENDED); the others are the socket's own.
 */
export const USER_SOCKET_ERROR_CODES = [
  'INVALID_MESSAGE',
  'UNKNOWN_MESSAGE',
  'UNAUTHENTICATED',
  'TOKEN_REVOKED',
  'ACCOUNT_SUSPENDED',
  'FORBIDDEN',
  'TOO_MANY_CONNECTIONS',
  'AUTH_TIMEOUT',
  'TOKEN_EXPIRED',
] as const;

export type UserSocketServerMessage =
  | { type: 'connection'; status: 'awaiting_auth'; timestamp: string }
  | { type: 'authenticated'; userId: string; expiresAt: string; timestamp: string }
  | { type: 'pong'; timestamp: string }
  | { type: 'error'; code: string; message: string }
  | UserEvent;

/** True when `type` is one a client may send (narrows it for an exhaustive switch). */
export function isUserSocketClientType(type: string): type is UserSocketClientMessageType {
  return (USER_SOCKET_CLIENT_MESSAGE_TYPES as readonly string[]).includes(type);
}

/** The union above and the list agree (a compile error otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const serverTypesAgree: Same<UserSocketServerMessage['type'], UserSocketServerMessageType> = true;
void serverTypesAgree;
