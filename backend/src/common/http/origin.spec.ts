import { browserOrigin, isAllowedOrigin } from './origin';

const allow = new Set(['https://app.example']);

describe('isAllowedOrigin / browserOrigin', () => {
  it('allows the allow-list and the origin whose host is the request Host; never null or garbage', () => {
    expect(isAllowedOrigin('https://app.example', { host: 'api.example' }, allow)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8000', { host: '127.0.0.1:8000' }, allow)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', { host: 'api.example' }, allow)).toBe(false);
    expect(isAllowedOrigin('https://api.example.evil.example', { host: 'api.example' }, allow)).toBe(false);
    expect(isAllowedOrigin('null', { host: 'null' }, allow)).toBe(false);
    expect(isAllowedOrigin('not a url', { host: 'api.example' }, allow)).toBe(false);
    expect(isAllowedOrigin('https://api.example', {}, allow)).toBe(false);
  });

  it('reads Origin first, then Sec-Fetch-Site; neither is not a browser', () => {
    expect(browserOrigin({ origin: 'https://app.example', 'sec-fetch-site': 'cross-site' }, allow)).toBe('same');
    expect(browserOrigin({ origin: 'https://evil.example', host: 'api.example' }, allow)).toBe('foreign');
    expect(browserOrigin({ 'sec-fetch-site': 'cross-site' }, allow)).toBe('foreign');
    expect(browserOrigin({ 'sec-fetch-site': 'same-site' }, allow)).toBe('foreign');
    expect(browserOrigin({ 'sec-fetch-site': 'same-origin' }, allow)).toBe('same');
    expect(browserOrigin({ 'sec-fetch-site': 'none' }, allow)).toBe('same');
    expect(browserOrigin({}, allow)).toBe('unknown');
  });
});
