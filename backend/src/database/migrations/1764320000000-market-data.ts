import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Asset catalogue (API.md "Market data": the 20 assets with their provider ids)
 * and price candles. Every asset uses 8 decimals for quantities (ARCHITECTURE §3:
 * "crypto 8, configurable per asset"), ETH included.
 */
export class MarketData1764320000000 implements MigrationInterface {
  name = 'MarketData1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assets (
        symbol varchar(16) PRIMARY KEY CHECK (symbol = upper(symbol)),
        coingecko_id varchar(64) NOT NULL UNIQUE,
        coincap_id varchar(64),
        binance_symbol varchar(20),
        name varchar(64) NOT NULL,
        decimals smallint NOT NULL DEFAULT 8 CHECK (decimals BETWEEN 0 AND 18),
        enabled boolean NOT NULL DEFAULT true,
        rank integer NOT NULL,
        image_url varchar(300),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    const assets: [string, string, string, string | null, string, number, string][] = [
      ['BTC', 'bitcoin', 'bitcoin', 'BTCUSDT', 'Bitcoin', 1, 'https://coin-images.coingecko.com/coins/images/1/large/bitcoin.png'],
      ['ETH', 'ethereum', 'ethereum', 'ETHUSDT', 'Ethereum', 2, 'https://coin-images.coingecko.com/coins/images/279/large/ethereum.png'],
      ['USDT', 'tether', 'tether', null, 'Tether', 3, 'https://coin-images.coingecko.com/coins/images/325/large/Tether.png'],
      ['XRP', 'ripple', 'xrp', 'XRPUSDT', 'XRP', 4, 'https://coin-images.coingecko.com/coins/images/44/large/xrp-symbol-white-128.png'],
      ['BNB', 'binancecoin', 'binance-coin', 'BNBUSDT', 'BNB', 5, 'https://coin-images.coingecko.com/coins/images/825/large/bnb-icon2_2x.png'],
      ['SOL', 'solana', 'solana', 'SOLUSDT', 'Solana', 6, 'https://coin-images.coingecko.com/coins/images/4128/large/solana.png'],
      ['USDC', 'usd-coin', 'usd-coin', 'USDCUSDT', 'USDC', 7, 'https://coin-images.coingecko.com/coins/images/6319/large/usdc.png'],
      ['DOGE', 'dogecoin', 'dogecoin', 'DOGEUSDT', 'Dogecoin', 8, 'https://coin-images.coingecko.com/coins/images/5/large/dogecoin.png'],
      ['ADA', 'cardano', 'cardano', 'ADAUSDT', 'Cardano', 9, 'https://coin-images.coingecko.com/coins/images/975/large/cardano.png'],
      ['LINK', 'chainlink', 'chainlink', 'LINKUSDT', 'Chainlink', 10, 'https://coin-images.coingecko.com/coins/images/877/large/chainlink-new-logo.png'],
      [
        'AVAX',
        'avalanche-2',
        'avalanche',
        'AVAXUSDT',
        'Avalanche',
        11,
        'https://coin-images.coingecko.com/coins/images/12559/large/Avalanche_Circle_RedWhite_Trans.png',
      ],
      ['XLM', 'stellar', 'stellar', 'XLMUSDT', 'Stellar', 12, 'https://coin-images.coingecko.com/coins/images/100/large/Stellar_symbol_black_RGB.png'],
      ['LTC', 'litecoin', 'litecoin', 'LTCUSDT', 'Litecoin', 13, 'https://coin-images.coingecko.com/coins/images/2/large/litecoin.png'],
      ['DOT', 'polkadot', 'polkadot', 'DOTUSDT', 'Polkadot', 14, 'https://coin-images.coingecko.com/coins/images/12171/large/polkadot.png'],
      ['UNI', 'uniswap', 'uniswap', 'UNIUSDT', 'Uniswap', 15, 'https://coin-images.coingecko.com/coins/images/12504/large/uni.jpg'],
      ['NEAR', 'near', 'near-protocol', 'NEARUSDT', 'NEAR Protocol', 16, 'https://coin-images.coingecko.com/coins/images/10365/large/near.jpg'],
      [
        'POL',
        'polygon-ecosystem-token',
        'polygon-ecosystem-token',
        'POLUSDT',
        'POL (ex-MATIC)',
        17,
        'https://coin-images.coingecko.com/coins/images/32440/large/polygon.png',
      ],
      ['ATOM', 'cosmos', 'cosmos', 'ATOMUSDT', 'Cosmos Hub', 18, 'https://coin-images.coingecko.com/coins/images/1481/large/cosmos_hub.png'],
      ['ARB', 'arbitrum', 'arbitrum', 'ARBUSDT', 'Arbitrum', 19, 'https://coin-images.coingecko.com/coins/images/16547/large/arb.jpg'],
      ['OP', 'optimism', 'optimism', 'OPUSDT', 'Optimism', 20, 'https://coin-images.coingecko.com/coins/images/25244/large/Optimism.png'],
    ];
    for (const [symbol, coingeckoId, coincapId, binanceSymbol, name, rank, image] of assets) {
      await q.query(
        `INSERT INTO assets (symbol, coingecko_id, coincap_id, binance_symbol, name, decimals, enabled, rank, image_url)
         VALUES ($1, $2, $3, $4, $5, 8, true, $6, $7)`,
        [symbol, coingeckoId, coincapId, binanceSymbol, name, rank, image],
      );
    }

    // One row per asset, bucket and width. Live ingestion writes 1-minute
    // candles (width 60); backfills and the retention roll-up write coarser
    // ones (300, 3600, 86400) only where no finer candle exists, so a
    // coarser interval is always an aggregate over non-overlapping rows.
    await q.query(`
      CREATE TABLE price_candles (
        symbol varchar(16) NOT NULL REFERENCES assets (symbol),
        bucket timestamptz NOT NULL,
        width_seconds integer NOT NULL CHECK (width_seconds > 0),
        open numeric(30, 12) NOT NULL,
        high numeric(30, 12) NOT NULL,
        low numeric(30, 12) NOT NULL,
        close numeric(30, 12) NOT NULL,
        volume numeric(38, 8) NOT NULL DEFAULT 0,
        source varchar(16) NOT NULL,
        PRIMARY KEY (symbol, bucket, width_seconds)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE price_candles`);
    await q.query(`DROP TABLE assets`);
  }
}
