/**
 * A bundled snapshot of market data (USD, late 2026) the simulated feed
 * starts from, and the static facts `/api/crypto/:id` shows when no live
 * provider supplies them. Values are decimal strings.
 */
export interface AssetSnapshot {
  price: string;
  change24h: string;
  volume24h: string;
  high24h: string;
  low24h: string;
  circulatingSupply: string;
  totalSupply: string | null;
  ath: string;
  athDate: string;
  description: string;
}

export const MARKET_SNAPSHOT: Record<string, AssetSnapshot> = {
  BTC: { price: '104250.00', change24h: '1.84', volume24h: '38412000000', high24h: '105120.00', low24h: '101980.00', circulatingSupply: '19965000', totalSupply: '21000000', ath: '126080.00', athDate: '2025-10-06T18:57:42.558Z', description: 'Bitcoin is the first decentralised digital currency, secured by proof of work.' },
  ETH: { price: '3870.25', change24h: '2.41', volume24h: '21760000000', high24h: '3912.80', low24h: '3761.10', circulatingSupply: '120690000', totalSupply: '120690000', ath: '4946.05', athDate: '2025-08-24T19:21:03.333Z', description: 'Ethereum is a programmable blockchain whose native asset, ether, pays for computation.' },
  USDT: { price: '1.0002', change24h: '0.01', volume24h: '72150000000', high24h: '1.0006', low24h: '0.9996', circulatingSupply: '186400000000', totalSupply: '186400000000', ath: '1.32', athDate: '2018-07-24T00:00:00.000Z', description: 'Tether (USDT) is a stablecoin pegged to the US dollar.' },
  XRP: { price: '2.4130', change24h: '-0.92', volume24h: '3120000000', high24h: '2.4710', low24h: '2.3880', circulatingSupply: '60250000000', totalSupply: '99985000000', ath: '3.65', athDate: '2025-07-18T03:40:53.808Z', description: 'XRP is the native asset of the XRP Ledger, built for fast settlement.' },
  BNB: { price: '712.40', change24h: '0.63', volume24h: '1840000000', high24h: '719.90', low24h: '704.20', circulatingSupply: '139200000', totalSupply: '139200000', ath: '1369.99', athDate: '2025-10-13T08:41:24.131Z', description: 'BNB is the native asset of BNB Chain and the Binance ecosystem.' },
  SOL: { price: '198.35', change24h: '3.12', volume24h: '4730000000', high24h: '201.60', low24h: '191.05', circulatingSupply: '552000000', totalSupply: '614000000', ath: '293.31', athDate: '2025-01-19T11:15:27.957Z', description: 'Solana is a high-throughput proof-of-stake blockchain.' },
  USDC: { price: '0.9999', change24h: '0.00', volume24h: '9860000000', high24h: '1.0003', low24h: '0.9994', circulatingSupply: '76300000000', totalSupply: '76300000000', ath: '1.17', athDate: '2019-05-08T00:40:28.300Z', description: 'USDC is a fully reserved stablecoin redeemable one-for-one for US dollars.' },
  DOGE: { price: '0.21420', change24h: '-1.37', volume24h: '1610000000', high24h: '0.22010', low24h: '0.21190', circulatingSupply: '151200000000', totalSupply: '151200000000', ath: '0.731578', athDate: '2021-05-08T05:08:23.458Z', description: 'Dogecoin is a proof-of-work cryptocurrency that started as a joke.' },
  ADA: { price: '0.8215', change24h: '1.05', volume24h: '712000000', high24h: '0.8390', low24h: '0.8060', circulatingSupply: '36450000000', totalSupply: '45000000000', ath: '3.09', athDate: '2021-09-02T06:00:10.474Z', description: 'Cardano is a proof-of-stake blockchain developed through peer-reviewed research.' },
  LINK: { price: '19.85', change24h: '2.26', volume24h: '684000000', high24h: '20.22', low24h: '19.21', circulatingSupply: '678000000', totalSupply: '1000000000', ath: '52.70', athDate: '2021-05-10T00:13:57.214Z', description: 'Chainlink is a decentralised oracle network bringing off-chain data on-chain.' },
  AVAX: { price: '31.62', change24h: '-2.05', volume24h: '512000000', high24h: '32.70', low24h: '31.10', circulatingSupply: '422000000', totalSupply: '459000000', ath: '144.96', athDate: '2021-11-21T14:18:56.538Z', description: 'Avalanche is a smart-contract platform of interoperable subnets.' },
  XLM: { price: '0.3952', change24h: '0.48', volume24h: '238000000', high24h: '0.4018', low24h: '0.3891', circulatingSupply: '31900000000', totalSupply: '50001000000', ath: '0.875563', athDate: '2018-01-03T00:00:00.000Z', description: 'Stellar is a payments network for moving money across borders.' },
  LTC: { price: '104.70', change24h: '0.88', volume24h: '596000000', high24h: '106.30', low24h: '102.90', circulatingSupply: '76200000', totalSupply: '84000000', ath: '410.26', athDate: '2021-05-10T03:13:07.904Z', description: 'Litecoin is an early Bitcoin fork with faster blocks.' },
  DOT: { price: '5.420', change24h: '-0.74', volume24h: '231000000', high24h: '5.530', low24h: '5.360', circulatingSupply: '1610000000', totalSupply: '1610000000', ath: '54.98', athDate: '2021-11-04T14:10:09.301Z', description: 'Polkadot connects specialised blockchains (parachains) under shared security.' },
  UNI: { price: '11.20', change24h: '1.62', volume24h: '318000000', high24h: '11.44', low24h: '10.96', circulatingSupply: '630000000', totalSupply: '1000000000', ath: '44.92', athDate: '2021-05-03T05:25:04.822Z', description: 'UNI is the governance token of the Uniswap decentralised exchange.' },
  NEAR: { price: '4.120', change24h: '2.93', volume24h: '289000000', high24h: '4.190', low24h: '3.980', circulatingSupply: '1280000000', totalSupply: '1300000000', ath: '20.44', athDate: '2022-01-16T22:09:45.873Z', description: 'NEAR Protocol is a sharded proof-of-stake blockchain.' },
  POL: { price: '0.3180', change24h: '-1.12', volume24h: '142000000', high24h: '0.3250', low24h: '0.3140', circulatingSupply: '10550000000', totalSupply: '10550000000', ath: '1.29', athDate: '2024-03-13T00:00:00.000Z', description: 'POL (ex-MATIC) secures the Polygon network.' },
  ATOM: { price: '5.910', change24h: '0.34', volume24h: '118000000', high24h: '6.020', low24h: '5.840', circulatingSupply: '470000000', totalSupply: '470000000', ath: '44.45', athDate: '2022-01-17T00:34:41.497Z', description: 'ATOM secures the Cosmos Hub, the first chain of the Cosmos network.' },
  ARB: { price: '0.6110', change24h: '1.79', volume24h: '246000000', high24h: '0.6240', low24h: '0.5970', circulatingSupply: '5400000000', totalSupply: '10000000000', ath: '2.39', athDate: '2024-01-12T12:29:59.231Z', description: 'ARB governs Arbitrum, an optimistic rollup on Ethereum.' },
  OP: { price: '1.180', change24h: '-0.51', volume24h: '151000000', high24h: '1.212', low24h: '1.161', circulatingSupply: '1750000000', totalSupply: '4294967296', ath: '4.84', athDate: '2024-03-06T08:35:50.817Z', description: 'OP governs Optimism, an optimistic rollup on Ethereum.' },
};
