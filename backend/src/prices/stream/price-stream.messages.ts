import type { PriceQuoteDto } from '../dto/market.dto';

/**
 * Every message of `/ws/prices` and `/ws/prices/:symbol`, in both directions: the one list the
 * gateway's send helper accepts and the AsyncAPI document (backend/src/asyncapi) describes. A type
 * the gateway sends must be added here, and then the document cannot be built without its schema.
 */
export const PRICE_STREAM_SERVER_MESSAGE_TYPES = ['connection', 'price_update', 'pong', 'status', 'price', 'subscribed', 'unsubscribed', 'error'] as const;
export type PriceStreamServerMessageType = (typeof PRICE_STREAM_SERVER_MESSAGE_TYPES)[number];

/** What a client may send; anything else is answered with `error` UNKNOWN_TYPE. */
export const PRICE_STREAM_CLIENT_MESSAGE_TYPES = ['ping', 'get_status', 'get_price', 'subscribe', 'unsubscribe'] as const;
export type PriceStreamClientMessageType = (typeof PRICE_STREAM_CLIENT_MESSAGE_TYPES)[number];

/** The `code` of an `error` message; the socket stays open after each. */
export const PRICE_STREAM_ERROR_CODES = ['RATE_LIMITED', 'MALFORMED', 'UNKNOWN_TYPE', 'UNKNOWN_SYMBOL', 'NO_QUOTE'] as const;
export type PriceStreamErrorCode = (typeof PRICE_STREAM_ERROR_CODES)[number];

/** At most this many messages a second from a client; the first one over gets RATE_LIMITED, the rest are dropped. */
export const PRICE_STREAM_MAX_MESSAGES_PER_SECOND = 20;
/** At most this many symbols in one subscribe or unsubscribe. */
export const PRICE_STREAM_MAX_SYMBOLS_PER_MESSAGE = 50;

export type PriceStreamQuote = Pick<PriceQuoteDto, 'price' | 'change24h' | 'timestamp' | 'source'>;

export type PriceStreamServerMessage =
  | { type: 'connection'; status: 'connected'; timestamp: string }
  | { type: 'price_update'; prices: Record<string, PriceStreamQuote>; timestamp: string }
  | { type: 'pong'; timestamp: string }
  | { type: 'status'; source: string; state: string; lastUpdate: string | null }
  | ({ type: 'price'; symbol: string } & PriceStreamQuote)
  | { type: 'subscribed' | 'unsubscribed'; symbols: string[] }
  | { type: 'error'; code: PriceStreamErrorCode; message: string };

/** True when `type` is one a client may send (narrows it for an exhaustive switch). */
export function isPriceStreamClientType(type: string): type is PriceStreamClientMessageType {
  return (PRICE_STREAM_CLIENT_MESSAGE_TYPES as readonly string[]).includes(type);
}

/** The union above and the list agree (a compile error otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const serverTypesAgree: Same<PriceStreamServerMessage['type'], PriceStreamServerMessageType> = true;
void serverTypesAgree;
