import { FILTERED, scrubEvent, scrubText } from './scrub';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZW1haWwiOiJhQGIuY29tIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const REFRESH = 'q8Zk3v7yW0b1Xh2u_T9sD-4eRm6nPa5cLj0fGi8oKdE';
// Six digits in a row inside an id are not a one-time code.
const REQUEST_ID = 'fb300411-7e6e-40e0-b58c-5f51b4cfd02f';

describe('scrubText', () => {
  it.each([
    ['an email', 'refused for alice.smith+vault@example.co.uk today', 'refused for [email] today'],
    ['a bearer token', 'Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [token]'],
    ['a JWT', `token ${JWT} expired`, 'token [token] expired'],
    ['a refresh token', `refresh=${REFRESH}`, 'refresh=[token]'],
    ['a bech32 Bitcoin address', 'to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq now', 'to [address] now'],
    ['a legacy Bitcoin address', 'to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 now', 'to [address] now'],
    ['an Ethereum address', 'to 0x52908400098527886E0F7030069857D2E4169EE7 now', 'to [address] now'],
    ['a Tron address', 'to TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7 now', 'to [address] now'],
    ['a Solana address', 'to 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV now', 'to [address] now'],
    ['a one-time code', 'code 492039 was wrong', 'code [code] was wrong'],
  ])('replaces %s', (_what, text, scrubbed) => {
    expect(scrubText(text)).toBe(scrubbed);
  });

  it('leaves request ids, amounts, paths and ordinary words alone', () => {
    const text = `request ${REQUEST_ID} POST /api/wallet/withdrawal-addresses failed: 104250.00 USD, 1234567 rows, WithdrawalAddressesService`;
    expect(scrubText(text)).toBe(text);
  });
});

describe('scrubEvent', () => {
  const event = {
    event_id: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6',
    release: 'cryptovault@0.1.0',
    environment: 'test',
    user: { id: 'u1', email: 'alice@example.com', ip_address: '203.0.113.9' },
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:8000/api/wallet/withdrawal-addresses?token=abc',
      query_string: 'token=abc',
      cookies: { refresh_token: REFRESH },
      data: { label: 'alice@example.com', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
      headers: { authorization: `Bearer ${JWT}`, cookie: `refresh_token=${REFRESH}`, 'user-agent': 'jest', 'x-request-id': REQUEST_ID },
    },
    exception: { values: [{ type: 'QueryFailedError', value: 'address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq of alice@example.com refused' }] },
    tags: { request_id: REQUEST_ID },
    contexts: { trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' } },
    extra: { password: 'hunter2hunter2', nested: { totp: '123456', note: 'mail bob@example.org' } },
  };

  it('keeps method, path and harmless headers of the request, and nothing of its body, cookies, query or credentials', () => {
    expect(scrubEvent(event).request).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:8000/api/wallet/withdrawal-addresses',
      headers: { 'user-agent': 'jest', 'x-request-id': REQUEST_ID },
    });
  });

  it('scrubs the message, drops the user and secret keys, and keeps the ids that link the event', () => {
    const out = scrubEvent(event);
    expect(out.user).toBeUndefined();
    expect(out.exception.values[0].value).toBe('address [address] of [email] refused');
    expect(out.extra).toEqual({ password: FILTERED, nested: { totp: FILTERED, note: 'mail [email]' } });
    expect(out.tags).toEqual({ request_id: REQUEST_ID });
    expect(out.contexts.trace.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(out.event_id).toBe(event.event_id);
    const text = JSON.stringify(out);
    for (const secret of ['alice@example.com', 'bob@example.org', JWT, REFRESH, 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '123456', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
  });
});
