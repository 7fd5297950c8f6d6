import { PRICE_STREAM_ERROR_CODES, PRICE_STREAM_MAX_MESSAGES_PER_SECOND, PRICE_STREAM_MAX_SYMBOLS_PER_MESSAGE } from '../prices/stream/price-stream.messages';
import type { PriceStreamClientMessageType, PriceStreamServerMessageType } from '../prices/stream/price-stream.messages';
import type { UserEventType } from '../notifications/user-events';
import { USER_SOCKET_CLOSE, USER_SOCKET_ERROR_CODES } from '../notifications/user-socket.messages';
import type { UserSocketClientMessageType, UserSocketServerMessageType } from '../notifications/user-socket.messages';

/** A JSON Schema (AsyncAPI's default schema format: draft 07). */
export type JsonSchema = Record<string, unknown>;

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary: string;
  contentType: 'application/json';
  payload: JsonSchema;
  examples?: { name: string; payload: Record<string, unknown> }[];
}

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: 'application/json';
  servers: Record<string, unknown>;
  channels: Record<
    string,
    { address: string; title: string; description: string; parameters?: Record<string, unknown>; messages: Record<string, { $ref: string }> }
  >;
  operations: Record<string, unknown>;
  components: { messages: Record<string, AsyncApiMessage>; schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

/** The OpenAPI document's schemas the user events carry (built from the same DTO classes the HTTP API returns). */
interface OpenApiSchemas {
  components?: { schemas?: Record<string, unknown> };
}

/** What the pushed events carry that the HTTP API also returns: copied from the OpenAPI document with what they reference. */
const SHARED_SCHEMAS = ['OrderDto', 'ConversionDto', 'AlertDto', 'NotificationDto', 'RecurringBuyRunDto'];

const DECIMAL = '^[0-9]+(\\.[0-9]+)?$';
const SIGNED_DECIMAL = '^-?[0-9]+(\\.[0-9]+)?$';
const ISO_TIME = { type: 'string', format: 'date-time', description: 'ISO-8601, UTC' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const constType = (type: string) => ({ type: 'string', const: type });

function object(required: string[], properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', required, properties, additionalProperties: false, ...extra };
}

function message(name: string, title: string, summary: string, payload: JsonSchema, example?: Record<string, unknown>): AsyncApiMessage {
  return { name, title, summary, contentType: 'application/json', payload, ...(example ? { examples: [{ name, payload: example }] } : {}) };
}

const QUOTE: JsonSchema = object(['price', 'change24h', 'timestamp', 'source'], {
  price: { type: 'string', pattern: DECIMAL, description: 'USD price, decimal string', examples: ['104250.00000000'] },
  change24h: { type: 'string', pattern: SIGNED_DECIMAL, description: 'Change over 24 h in percent, decimal string', examples: ['-1.8400'] },
  timestamp: ISO_TIME,
  source: { type: 'string', description: 'The price source (`simulated` for the simulated feed)', examples: ['coingecko'] },
});
const SYMBOL = { type: 'string', pattern: '^[A-Z0-9]{1,16}$', description: 'An asset symbol', examples: ['BTC'] };
const T0 = '2026-11-28T18:40:00.000Z';

/** The messages of `/ws/prices` and `/ws/prices/{symbol}`; a Record, so a type without a message does not compile. */
const PRICE_SERVER_MESSAGES: Record<PriceStreamServerMessageType, AsyncApiMessage> = {
  connection: message(
    'connection',
    'Connected',
    'First message on every socket.',
    object(['type', 'status', 'timestamp'], { type: constType('connection'), status: { type: 'string', const: 'connected' }, timestamp: ISO_TIME }),
    { type: 'connection', status: 'connected', timestamp: T0 },
  ),
  price_update: message(
    'price_update',
    'Price update',
    'Quotes that changed, at most once a second per socket. The first one (and the first after a subscribe, or after the socket fell behind) carries every subscribed asset.',
    object(['type', 'prices', 'timestamp'], {
      type: constType('price_update'),
      prices: { type: 'object', description: 'Quote by asset symbol', propertyNames: SYMBOL, additionalProperties: QUOTE },
      timestamp: ISO_TIME,
    }),
    { type: 'price_update', prices: { BTC: { price: '104250.00000000', change24h: '1.8400', timestamp: T0, source: 'coingecko' } }, timestamp: T0 },
  ),
  pong: message('pong', 'Pong', 'The answer to `ping`.', object(['type', 'timestamp'], { type: constType('pong'), timestamp: ISO_TIME }), {
    type: 'pong',
    timestamp: T0,
  }),
  status: message(
    'status',
    'Feed status',
    'The answer to `get_status`.',
    object(['type', 'source', 'state', 'lastUpdate'], {
      type: constType('status'),
      source: { type: 'string', description: 'The source serving quotes now' },
      state: { type: 'string', description: 'live (the first source serves), failover (a later one serves), down (none), starting', examples: ['live'] },
      lastUpdate: { type: ['string', 'null'], format: 'date-time', description: 'The last tick; null before the first' },
    }),
    { type: 'status', source: 'coingecko', state: 'live', lastUpdate: T0 },
  ),
  price: message(
    'price',
    'Price',
    'The answer to `get_price`.',
    {
      ...QUOTE,
      required: ['type', 'symbol', ...(QUOTE.required as string[])],
      properties: { type: constType('price'), symbol: SYMBOL, ...(QUOTE.properties as JsonSchema) },
    },
    { type: 'price', symbol: 'BTC', price: '104250.00000000', change24h: '1.8400', timestamp: T0, source: 'coingecko' },
  ),
  subscribed: message(
    'subscribed',
    'Subscribed',
    'The answer to `subscribe`: every symbol the socket now gets.',
    object(['type', 'symbols'], { type: constType('subscribed'), symbols: { type: 'array', items: SYMBOL } }),
    { type: 'subscribed', symbols: ['BTC', 'ETH'] },
  ),
  unsubscribed: message(
    'unsubscribed',
    'Unsubscribed',
    'The answer to `unsubscribe`: every symbol the socket still gets.',
    object(['type', 'symbols'], { type: constType('unsubscribed'), symbols: { type: 'array', items: SYMBOL } }),
    { type: 'unsubscribed', symbols: ['ETH'] },
  ),
  error: message(
    'error',
    'Error',
    `A message the stream could not take; the socket stays open. RATE_LIMITED: over ${PRICE_STREAM_MAX_MESSAGES_PER_SECOND} messages a second (the rest of that second is dropped); MALFORMED: not a JSON object with a string "type", binary, or a bad symbol list; UNKNOWN_TYPE; UNKNOWN_SYMBOL: not an asset of this stream; NO_QUOTE: no quote yet.`,
    object(['type', 'code', 'message'], {
      type: constType('error'),
      code: { type: 'string', enum: [...PRICE_STREAM_ERROR_CODES] },
      message: { type: 'string' },
    }),
    { type: 'error', code: 'UNKNOWN_SYMBOL', message: 'symbol must be a known asset of this stream' },
  ),
};

const SYMBOL_LIST = {
  type: 'array',
  minItems: 1,
  maxItems: PRICE_STREAM_MAX_SYMBOLS_PER_MESSAGE,
  items: { type: 'string', maxLength: 16 },
  description: 'Symbols, any case',
};

const PRICE_CLIENT_MESSAGES: Record<PriceStreamClientMessageType, AsyncApiMessage> = {
  ping: message('ping', 'Ping', 'Answered with `pong`.', object(['type'], { type: constType('ping') }), { type: 'ping' }),
  get_status: message('get_status', 'Get status', 'Answered with `status`.', object(['type'], { type: constType('get_status') }), { type: 'get_status' }),
  get_price: message(
    'get_price',
    'Get price',
    'Answered with `price`, or `error` UNKNOWN_SYMBOL / NO_QUOTE.',
    object(['type', 'symbol'], { type: constType('get_price'), symbol: { type: 'string', description: 'An asset of this stream, any case' } }),
    { type: 'get_price', symbol: 'BTC' },
  ),
  subscribe: message(
    'subscribe',
    'Subscribe',
    'Adds symbols (of this stream) to what the socket gets; answered with `subscribed`, and the next `price_update` carries them in full.',
    object(['type', 'symbols'], { type: constType('subscribe'), symbols: SYMBOL_LIST }),
    { type: 'subscribe', symbols: ['BTC', 'ETH'] },
  ),
  unsubscribe: message(
    'unsubscribe',
    'Unsubscribe',
    'Removes symbols from what the socket gets; answered with `unsubscribed`.',
    object(['type', 'symbols'], { type: constType('unsubscribe'), symbols: SYMBOL_LIST }),
    { type: 'unsubscribe', symbols: ['BTC'] },
  ),
};

/** The envelope of every user event: `{type, data, notification?, timestamp}`. */
function userEvent(type: UserEventType, title: string, summary: string, data: JsonSchema, notification: 'always' | 'sometimes' | 'never'): AsyncApiMessage {
  const required = ['type', 'data', 'timestamp', ...(notification === 'always' ? ['notification'] : [])];
  const properties: Record<string, JsonSchema> = {
    type: constType(type),
    data,
    timestamp: ISO_TIME,
    ...(notification === 'never'
      ? {}
      : { notification: { ...ref('NotificationDto'), description: 'The in-app notification the event stored (its `data` is the event’s)' } }),
  };
  return message(type, title, summary, object(required, properties));
}

const open = (required: string[], properties: Record<string, JsonSchema>, description: string): JsonSchema => ({
  type: 'object',
  required,
  properties,
  additionalProperties: true,
  description,
});
const amount = (description: string) => ({ type: 'string', pattern: DECIMAL, description });

const USER_EVENTS: Record<UserEventType, AsyncApiMessage> = {
  order_filled: userEvent(
    'order_filled',
    'Order filled',
    'An order filled: a resting limit or stop order reached its price (with a notification), a recurring buy ran (with a notification), or the user’s own order on another tab or device.',
    open(
      ['order'],
      {
        order: ref('OrderDto'),
        kind: { type: 'string', const: 'recurring_buy_filled', description: 'A recurring buy’s order' },
        recurringBuy: { type: 'object', description: 'A recurring buy’s order: {id, symbol, quoteAmount, frequency, nextRunAt}' },
        run: ref('RecurringBuyRunDto'),
      },
      'The order; a recurring buy’s also carries kind, recurringBuy and run',
    ),
    'sometimes',
  ),
  order_cancelled: userEvent(
    'order_cancelled',
    'Order cancelled',
    'An open order closed unfilled: cancelled by the user (another tab or device), or rejected when it reached its trigger and the balance did not cover it (with a notification).',
    open(['order', 'reason'], { order: ref('OrderDto'), reason: { type: 'string', enum: ['cancelled', 'rejected'] } }, 'The order and why it closed'),
    'sometimes',
  ),
  convert_settled: userEvent(
    'convert_settled',
    'Conversion settled',
    'A conversion the user settled (keeps their other tabs and devices current).',
    open(['conversion'], { conversion: ref('ConversionDto') }, 'The settled conversion'),
    'never',
  ),
  alert_triggered: userEvent(
    'alert_triggered',
    'Alert fired',
    'A price alert fired.',
    open(['alert'], { alert: ref('AlertDto') }, 'The alert as it is after firing'),
    'always',
  ),
  deposit_credited: userEvent(
    'deposit_credited',
    'Deposit credited',
    'A deposit (or part of one) was credited.',
    open(
      ['orderId', 'currency', 'provider'],
      {
        orderId: { type: 'string', format: 'uuid', description: 'The deposit' },
        currency: { type: 'string', description: 'What was paid in' },
        provider: { type: 'string' },
        kind: { type: 'string', enum: ['in_kind', 'partial', 'remainder'], description: 'Absent for a whole USD deposit' },
        asset: { type: 'string' },
        amount: amount('Credited now'),
        total: amount('Credited in all'),
        expected: amount('What the deposit was for'),
      },
      'What was credited, as figures',
    ),
    'always',
  ),
  withdrawal_updated: userEvent(
    'withdrawal_updated',
    'Withdrawal updated',
    'A withdrawal changed state (requested, approved, sent, completed, rejected, cancelled, failed).',
    open(
      ['withdrawalId', 'status', 'asset', 'amount', 'fee', 'total', 'network', 'address'],
      {
        withdrawalId: { type: 'string', format: 'uuid' },
        status: { type: 'string' },
        asset: { type: 'string' },
        amount: amount('What arrives'),
        fee: amount('Network fee'),
        total: amount('Debited: amount + fee'),
        network: { type: 'string' },
        address: { type: 'string' },
        addressLabel: { type: ['string', 'null'] },
        txHash: { type: ['string', 'null'] },
        rejectReason: { type: ['string', 'null'] },
        cashOutUsd: amount('A cash-out: the USD converted'),
        cashOutFee: amount('A cash-out: the conversion fee'),
        cashOutPrice: amount('A cash-out: the price converted at'),
      },
      'The withdrawal, as figures',
    ),
    'always',
  ),
  notification: userEvent(
    'notification',
    'Notification',
    'Any other in-app notification (security events, a recurring buy skipped or failed, an export ready, …); `data.kind` says which.',
    open(
      ['kind'],
      { kind: { type: 'string', description: 'What it is about', examples: ['security_event', 'recurring_buy_skipped', 'recurring_buy_failed'] } },
      'What the text says, as data',
    ),
    'always',
  ),
};

const USER_SERVER_MESSAGES: Record<UserSocketServerMessageType, AsyncApiMessage> = {
  connection: message(
    'connection',
    'Awaiting sign-in',
    'Sent when the upgrade carried no valid token: send `auth` within WS_AUTH_TIMEOUT_MS (5 s by default).',
    object(['type', 'status', 'timestamp'], { type: constType('connection'), status: { type: 'string', const: 'awaiting_auth' }, timestamp: ISO_TIME }),
    { type: 'connection', status: 'awaiting_auth', timestamp: T0 },
  ),
  authenticated: message(
    'authenticated',
    'Signed in',
    'The socket is signed in and gets the user’s events; it closes (4401 TOKEN_EXPIRED) when the token expires.',
    object(['type', 'userId', 'expiresAt', 'timestamp'], {
      type: constType('authenticated'),
      userId: { type: 'string', format: 'uuid' },
      expiresAt: { ...ISO_TIME, description: 'When the access token expires' },
      timestamp: ISO_TIME,
    }),
    { type: 'authenticated', userId: '0b6f7a6e-3c1a-4d44-9d0e-5a2f3a1c9b10', expiresAt: T0, timestamp: T0 },
  ),
  pong: message('pong', 'Pong', 'The answer to `ping`.', object(['type', 'timestamp'], { type: constType('pong'), timestamp: ISO_TIME }), {
    type: 'pong',
    timestamp: T0,
  }),
  error: message(
    'error',
    'Error',
    'A message the socket could not take, or why it is about to close (AUTH_TIMEOUT, TOKEN_EXPIRED, TOKEN_REVOKED, ACCOUNT_SUSPENDED, UNAUTHENTICATED: then closed 4401; TOO_MANY_CONNECTIONS: then closed 4429).',
    object(['type', 'code', 'message'], {
      type: constType('error'),
      code: { type: 'string', examples: [...USER_SOCKET_ERROR_CODES] },
      message: { type: 'string' },
    }),
    { type: 'error', code: 'AUTH_TIMEOUT', message: 'Send {"type":"auth","token":"…"} first' },
  ),
  ...USER_EVENTS,
};

const USER_CLIENT_MESSAGES: Record<UserSocketClientMessageType, AsyncApiMessage> = {
  auth: message(
    'auth',
    'Sign in',
    'Signs the socket in with an access token (the one of the HTTP API); answered with `authenticated` or `error`.',
    object(['type', 'token'], { type: constType('auth'), token: { type: 'string', minLength: 1, description: 'An access token (JWT)' } }),
    { type: 'auth', token: 'eyJhbGciOi…' },
  ),
  ping: message('ping', 'Ping', 'Answered with `pong`.', object(['type'], { type: constType('ping') }), { type: 'ping' }),
};

/** Component key of a channel's message: `prices.price_update`, `user.order_filled`. */
const key = (channel: 'prices' | 'user', type: string) => `${channel}.${type}`;

function channelMessages(channel: 'prices' | 'user', types: string[]): Record<string, { $ref: string }> {
  return Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${key(channel, t)}` }]));
}

const msgRef = (channel: string, type: string) => ({ $ref: `#/channels/${channel}/messages/${type}` });

/**
 * One operation per message: `send` what the server pushes, `receive` what it accepts (the
 * application's view), with the answer as the operation's reply.
 */
function operations(
  channel: string,
  direction: 'send' | 'receive',
  types: string[],
  replies: Record<string, string[]>,
  security?: unknown[],
): Record<string, unknown> {
  return Object.fromEntries(
    types.map((t) => {
      const reply = replies[t];
      const op = {
        action: direction,
        channel: { $ref: `#/channels/${channel}` },
        title: `${direction === 'send' ? 'Push' : 'Accept'} ${t}`,
        messages: [msgRef(channel, t)],
        ...(reply ? { reply: { channel: { $ref: `#/channels/${channel}` }, messages: reply.map((r) => msgRef(channel, r)) } } : {}),
        ...(security ? { security } : {}),
      };
      return [`${channel}.${direction}.${t}`, op];
    }),
  );
}

/** Replaces OpenAPI 3.0's `nullable` and `example` with their JSON Schema forms, everywhere in a schema. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const { nullable, example, ...rest } = value as Record<string, unknown>;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'enum' || k === 'examples' ? v : toJsonSchema(v)]));
  if (example !== undefined) out.examples = [example];
  if (nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    } else {
      const { description, ...schema } = out;
      return { ...(description === undefined ? {} : { description }), oneOf: [schema, { type: 'null' }] };
    }
  }
  return out;
}

/** The named schemas and every one they reference, from the OpenAPI document. */
function sharedSchemas(openapi: OpenApiSchemas): Record<string, JsonSchema> {
  const all = openapi.components?.schemas ?? {};
  const out: Record<string, JsonSchema> = {};
  const queue = [...SHARED_SCHEMAS];
  while (queue.length) {
    const name = queue.shift()!;
    if (out[name]) continue;
    const schema = all[name];
    if (!schema) throw new Error(`asyncapi: the OpenAPI document has no schema ${name}`);
    out[name] = toJsonSchema(schema) as JsonSchema;
    for (const m of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) queue.push(m[1]);
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]]),
  );
}

const WS_LIMITS =
  'Messages are JSON text frames. The server pings every socket every WS_HEARTBEAT_MS and drops one that did not answer the last ping; ' +
  'it closes every socket with 1001 when it shuts down (reconnect: another instance takes it).';

/**
 * The AsyncAPI 3.0 document of the WebSocket API (`/asyncapi.json`, `npm run openapi` writes it as
 * asyncapi.json beside openapi.json). Its messages are the gateways' own lists
 * (price-stream.messages.ts, user-socket.messages.ts); the objects the user events carry are the
 * HTTP API's schemas, taken from `openapi`.
 */
export function buildAsyncApiDocument(openapi: OpenApiSchemas, version: string): AsyncApiDocument {
  const priceServer = Object.keys(PRICE_SERVER_MESSAGES);
  const priceClient = Object.keys(PRICE_CLIENT_MESSAGES);
  const userServer = Object.keys(USER_SERVER_MESSAGES);
  const userClient = Object.keys(USER_CLIENT_MESSAGES);
  const messages: Record<string, AsyncApiMessage> = {};
  for (const [t, m] of Object.entries({ ...PRICE_SERVER_MESSAGES, ...PRICE_CLIENT_MESSAGES })) messages[key('prices', t)] = m;
  for (const [t, m] of Object.entries({ ...USER_SERVER_MESSAGES, ...USER_CLIENT_MESSAGES })) messages[key('user', t)] = m;
  const priceMessages = channelMessages('prices', [...priceServer, ...priceClient]);
  const priceReplies = {
    ping: ['pong'],
    get_status: ['status'],
    get_price: ['price', 'error'],
    subscribe: ['subscribed', 'error'],
    unsubscribe: ['unsubscribed', 'error'],
  };
  const userSecurity = [{ $ref: '#/components/securitySchemes/accessTokenCookie' }, { $ref: '#/components/securitySchemes/bearer' }];
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CryptoVault WebSocket API',
      version,
      description:
        'Live prices (`/ws/prices`, `/ws/prices/{symbol}`, no sign-in) and a signed-in user’s events (`/ws/user`). ' +
        'Every message is a JSON object with a string `type`. Prices and amounts are decimal strings, never numbers; times ISO-8601 UTC. ' +
        'The HTTP API is described at /openapi.json (the objects the user events carry are its schemas).',
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: '{host}',
        protocol: 'wss',
        title: 'The app’s own origin, over TLS',
        description: 'The host of APP_URL: the sockets are served by the same process as the HTTP API.',
        variables: { host: { default: 'localhost:3000', description: 'host[:port] of APP_URL' } },
      },
      development: {
        host: 'localhost:3000',
        protocol: 'ws',
        title: 'A local development server',
        description: '`npm start` on a fresh checkout.',
      },
    },
    channels: {
      prices: {
        address: '/ws/prices',
        title: 'Live prices',
        description:
          `Every listed asset, no sign-in. On connect: \`connection\`, then a \`price_update\` with every asset. At most WS_MAX_CONNECTIONS_PER_IP sockets per client address (the handshake is refused with 429 and Retry-After). ` +
          WS_LIMITS,
        messages: priceMessages,
      },
      pricesSymbol: {
        address: '/ws/prices/{symbol}',
        title: 'Live price of one asset',
        description: 'The same messages as `/ws/prices`, limited to one asset (an unknown symbol: the handshake is refused with 404).',
        parameters: { symbol: { description: 'An asset symbol, any case', examples: ['BTC', 'eth'] } },
        messages: channelMessages('prices', [...priceServer, ...priceClient]),
      },
      user: {
        address: '/ws/user',
        title: 'A signed-in user’s events',
        description:
          'Signed in by the access_token cookie or `Authorization: Bearer` at the upgrade, or by a first message `auth` within WS_AUTH_TIMEOUT_MS ' +
          `(else closed ${USER_SOCKET_CLOSE.unauthenticated} AUTH_TIMEOUT). A browser authenticated by the cookie must open it from the app’s origin or one on the CORS allow-list (403 otherwise). ` +
          `Over WS_USER_MAX_CONNECTIONS_PER_IP sockets per client address: 429 at the handshake; over WS_USER_MAX_CONNECTIONS_PER_USER: \`error\` TOO_MANY_CONNECTIONS and closed ${USER_SOCKET_CLOSE.tooMany}. ` +
          `Closed ${USER_SOCKET_CLOSE.unauthenticated} when the token expires (TOKEN_EXPIRED) or the session ends (logout, revocation, password change, suspension), on every instance. ` +
          WS_LIMITS,
        messages: channelMessages('user', [...userServer, ...userClient]),
      },
    },
    operations: {
      ...operations('prices', 'send', priceServer, {}),
      ...operations('prices', 'receive', priceClient, priceReplies),
      ...operations('pricesSymbol', 'send', priceServer, {}),
      ...operations('pricesSymbol', 'receive', priceClient, priceReplies),
      ...operations('user', 'send', userServer, {}, userSecurity),
      ...operations('user', 'receive', userClient, { ping: ['pong'], auth: ['authenticated', 'error'] }),
    },
    components: {
      messages,
      schemas: sharedSchemas(openapi),
      securitySchemes: {
        accessTokenCookie: {
          type: 'httpApiKey',
          in: 'cookie',
          name: 'access_token',
          description: 'The HttpOnly cookie the sign-in sets, sent by the browser with the upgrade request.',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token in the upgrade request’s Authorization header; or send it in the first message, `{"type":"auth","token":"…"}`.',
        },
      },
    },
  };
}

/** The wire `type` of every message the document describes on a channel, by direction (for the checks). */
export function documentedTypes(doc: AsyncApiDocument, channel: string, action: 'send' | 'receive'): string[] {
  const types: string[] = [];
  for (const op of Object.values(doc.operations) as { action: string; channel: { $ref: string }; messages: { $ref: string }[] }[]) {
    if (op.action !== action || op.channel.$ref !== `#/channels/${channel}`) continue;
    for (const m of op.messages) {
      const componentRef = doc.channels[channel].messages[m.$ref.split('/').pop()!].$ref;
      const payload = doc.components.messages[componentRef.split('/').pop()!].payload as { properties: { type: { const: string } } };
      types.push(payload.properties.type.const);
    }
  }
  return types;
}
