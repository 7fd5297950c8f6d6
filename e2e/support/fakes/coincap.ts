import { FakeWsProvider } from './ws-provider';

const DEFAULTS: Record<string, string> = {
  bitcoin: '104250.12',
  ethereum: '3870.25',
  tether: '1.0002',
  xrp: '2.4130',
  'binance-coin': '712.40',
  solana: '198.35',
  'usd-coin': '0.9999',
  dogecoin: '0.214200',
  cardano: '0.821500',
  chainlink: '19.85',
  avalanche: '31.62',
  stellar: '0.395200',
  litecoin: '104.70',
  polkadot: '5.4200',
  uniswap: '11.20',
  'near-protocol': '4.1200',
  'polygon-ecosystem-token': '0.318000',
  cosmos: '5.9100',
  arbitrum: '0.611000',
  optimism: '1.1800',
};

/**
 * A local CoinCap price stream (`wss://ws.coincap.io/prices?assets=bitcoin,ethereum`):
 * frames like `{"bitcoin":"6929.82","ethereum":"404.97"}` for the requested assets.
 */
export class FakeCoinCap extends FakeWsProvider {
  constructor(intervalMs = 200) {
    super(intervalMs);
    for (const [id, p] of Object.entries(DEFAULTS)) this.prices.set(id, p);
  }

  /** COINCAP_WS_URL for the app. */
  get url(): string {
    return `${this.origin}/prices`;
  }

  setPrice(coincapId: string, price: string): void {
    this.prices.set(coincapId, price);
  }

  protected accepts(url: URL): boolean {
    return url.pathname === '/prices' && !!url.searchParams.get('assets');
  }

  protected frames(url: URL): string[] {
    const wanted = url.searchParams.get('assets')!.split(',');
    const body: Record<string, string> = {};
    for (const id of wanted) {
      const p = this.prices.get(id);
      if (p) body[id] = p;
    }
    return [JSON.stringify(body)];
  }
}
