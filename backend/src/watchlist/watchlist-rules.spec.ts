import { tickerOf, TickerParamPipe } from './watchlist-rules';

describe('watchlist path symbols', () => {
  it('takes a ticker of 1 to 16 letters and digits in any case, upper-cased', () => {
    expect([tickerOf('btc'), tickerOf('Pol'), tickerOf('A1'), tickerOf('X'.repeat(16))]).toEqual(['BTC', 'POL', 'A1', 'X'.repeat(16)]);
  });

  it('refuses anything else with 400 on symbol, before any lookup', () => {
    for (const raw of ['', 'b t c', 'BTC-USD', 'X'.repeat(17), '../etc', 'ÄÖÜ', undefined]) expect(tickerOf(raw)).toBeNull();
    const pipe = new TickerParamPipe();
    expect(() => pipe.transform('b t c', { type: 'param', data: 'symbol' })).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field: 'symbol', message: 'Enter a ticker like BTC (up to 16 letters and digits)' }],
      }),
    );
  });
});
