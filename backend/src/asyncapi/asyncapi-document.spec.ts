import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USER_SOCKET_CLIENT_MESSAGE_TYPES, USER_SOCKET_SERVER_MESSAGE_TYPES } from '../notifications/user-socket.messages';
import { PRICE_STREAM_CLIENT_MESSAGE_TYPES, PRICE_STREAM_SERVER_MESSAGE_TYPES } from '../prices/stream/price-stream.messages';
import { buildAsyncApiDocument, documentedTypes, type AsyncApiDocument } from './asyncapi-document';
import { renderAsyncApiPage } from './asyncapi-page';

const ROOT = join(__dirname, '..', '..', '..');
/** The committed document (what CI regenerates and diffs, and what /asyncapi.json serves). */
const committedText = readFileSync(join(ROOT, 'asyncapi.json'), 'utf8');
const committed = JSON.parse(committedText) as AsyncApiDocument;
const openapi = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as { info: { version: string }; components: { schemas: Record<string, unknown> } };

/** Every `{ type: '…'` object a gateway's source writes and every `case '…'` it dispatches on. */
function literals(file: string): { emitted: string[]; dispatched: string[] } {
  const source = readFileSync(join(__dirname, '..', file), 'utf8');
  return {
    emitted: [...source.matchAll(/\{\s*type: '([a-z_]+)'/g)].map((m) => m[1]),
    dispatched: [...source.matchAll(/\bcase '([a-z_]+)':/g)].map((m) => m[1]),
  };
}

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

describe('the AsyncAPI document of the WebSocket API', () => {
  it('is a valid AsyncAPI 3.0 document: @asyncapi/parser reports no error and no warning', async () => {
    const { document, diagnostics } = await new Parser().parse(committedText);
    // Severity 0 is an error, 1 a warning; 2 and 3 are hints (e.g. "3.1.0 exists").
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['/ws/prices', '/ws/prices/{symbol}', '/ws/user']);
  });

  it('has every message the price gateway sends and accepts, on /ws/prices and /ws/prices/{symbol}, and no other', () => {
    for (const channel of ['prices', 'pricesSymbol']) {
      expect(sorted(documentedTypes(committed, channel, 'send'))).toEqual(sorted(PRICE_STREAM_SERVER_MESSAGE_TYPES));
      expect(sorted(documentedTypes(committed, channel, 'receive'))).toEqual(sorted(PRICE_STREAM_CLIENT_MESSAGE_TYPES));
    }
  });

  it('has every message the user gateway sends (every user event among them) and accepts, on /ws/user, and no other', () => {
    expect(sorted(documentedTypes(committed, 'user', 'send'))).toEqual(sorted(USER_SOCKET_SERVER_MESSAGE_TYPES));
    expect(sorted(documentedTypes(committed, 'user', 'receive'))).toEqual(sorted(USER_SOCKET_CLIENT_MESSAGE_TYPES));
  });

  it('knows every message type written in the gateways’ source, so none is sent around the typed send helpers', () => {
    const prices = literals('prices/stream/prices.gateway.ts');
    const user = literals('notifications/user-socket.gateway.ts');
    expect(prices.emitted.filter((t) => !(PRICE_STREAM_SERVER_MESSAGE_TYPES as readonly string[]).includes(t))).toEqual([]);
    expect(prices.dispatched.filter((t) => !(PRICE_STREAM_CLIENT_MESSAGE_TYPES as readonly string[]).includes(t))).toEqual([]);
    expect(user.emitted.filter((t) => !(USER_SOCKET_SERVER_MESSAGE_TYPES as readonly string[]).includes(t))).toEqual([]);
    expect(user.dispatched.filter((t) => !(USER_SOCKET_CLIENT_MESSAGE_TYPES as readonly string[]).includes(t))).toEqual([]);
    // The scan does find them (a changed code style would otherwise make this test pass on nothing).
    expect(prices.emitted).toEqual(expect.arrayContaining(['connection', 'pong', 'status', 'price', 'error']));
    expect(user.dispatched).toEqual(['ping', 'auth']);
  });

  it('is what the code builds now: asyncapi.json is up to date (npm run openapi writes it)', () => {
    expect(buildAsyncApiDocument(openapi, openapi.info.version)).toEqual(committed);
  });

  it('describes prices and amounts as decimal strings, never numbers', () => {
    const quote = (
      committed.components.messages['prices.price_update'].payload as {
        properties: { prices: { additionalProperties: { properties: Record<string, unknown> } } };
      }
    ).properties.prices.additionalProperties.properties;
    expect(quote.price).toMatchObject({ type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' });
    expect(quote.change24h).toMatchObject({ type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' });
    expect(JSON.stringify(committed)).not.toContain('"nullable"');
  });

  it('renders as a page without scripts, listing every channel and message', () => {
    const page = renderAsyncApiPage(committed);
    expect(page).not.toMatch(/<script/i);
    for (const c of Object.values(committed.channels)) expect(page).toContain(`<code>${c.address}</code>`);
    for (const id of Object.keys(committed.components.messages)) expect(page).toContain(`id="message-${id.replace('.', '-')}"`);
  });
});
