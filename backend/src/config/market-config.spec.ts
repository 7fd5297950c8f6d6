import { ConfigError, loadConfig } from './app-config';

describe('loadConfig: market data settings', () => {
  it('defaults to a moving simulated feed, a 15 s leader lease and CoinGecko demo keys', () => {
    const c = loadConfig({});
    expect(c.simulatedVolatility).toBe(0.6);
    expect(c.simulatedTickMs).toBe(1_000);
    expect(c.simulatedSeed).toBeUndefined();
    expect(c.priceLeaderLeaseMs).toBe(15_000);
    expect(c.coingeckoApiPlan).toBe('demo');
    expect(c.wsMaxConnectionsPerIp).toBe(20);
  });

  it('accepts volatility 0 (frozen prices) and picks the pro key header for the pro API host', () => {
    const c = loadConfig({ SIMULATED_VOLATILITY: '0', SIMULATED_SEED: '42', COINGECKO_BASE_URL: 'https://pro-api.coingecko.com/api/v3' });
    expect(c.simulatedVolatility).toBe(0);
    expect(c.simulatedSeed).toBe(42);
    expect(c.coingeckoApiPlan).toBe('pro');
  });

  it('lists every bad market setting in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ SIMULATED_VOLATILITY: '-1', SIMULATED_SEED: 'abc', COINGECKO_API_PLAN: 'gold', COINGECKO_POLL_MS: '10', PRICE_SOURCES: 'simulated,kraken' });
    } catch (e) {
      error = e as ConfigError;
    }
    const text = error!.problems.join('\n');
    expect(text).toContain('SIMULATED_VOLATILITY must be an annualised volatility');
    expect(text).toContain('SIMULATED_SEED must be a whole number');
    expect(text).toContain('COINGECKO_API_PLAN must be demo or pro');
    expect(text).toContain('COINGECKO_POLL_MS must be a whole number from 50');
    expect(text).toContain('unknown source "kraken"');
  });
});
