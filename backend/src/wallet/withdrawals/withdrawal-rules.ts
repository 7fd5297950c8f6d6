import { validate } from 'multicoin-address-validator';

/** Most digits after the point a withdrawal amount may have (the request DTO enforces it). */
export const WITHDRAWAL_AMOUNT_SCALE = 8;

export interface NetworkRule {
  /** Network name as clients send it (`network` field). */
  name: string;
  /** Checks the address format and checksum for this network. */
  isValidAddress(address: string): boolean;
  /** What a valid address looks like, for error messages. */
  hint: string;
}

export interface WithdrawalRule {
  asset: string;
  /** Smallest amount, in the asset, decimal string. */
  minimum: string;
  /** Network fee charged on top, in the asset (never a fixed "1.0" in coin units). */
  fee: string;
  networks: NetworkRule[];
}

const v =
  (currency: string, chainType?: string) =>
  (address: string): boolean => {
    try {
      return validate(address, currency, { networkType: 'prod', ...(chainType ? { chainType } : {}) });
    } catch {
      return false;
    }
  };

/** EIP-55: all-lower or all-upper hex is unchecked but valid; mixed case must match the checksum. */
const evm = (name: string): NetworkRule => ({ name, isValidAddress: v('eth'), hint: '0x followed by 40 hex digits (EIP-55 checksum when mixed case)' });

/**
 * Per-asset withdrawal rules: minimum and fee in the asset itself, and the
 * networks it can leave on, each with its address checksum rules (bech32 and
 * base58check for BTC/LTC, EIP-55 for ETH and ERC-20/BEP-20 tokens, base58 for
 * Solana and Tron, XRP's alphabet). Amounts are realistic network fees.
 */
export const WITHDRAWAL_RULES: Record<string, WithdrawalRule> = {
  BTC: {
    asset: 'BTC',
    minimum: '0.0005',
    fee: '0.0001',
    networks: [{ name: 'bitcoin', isValidAddress: v('btc'), hint: 'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address' }],
  },
  ETH: { asset: 'ETH', minimum: '0.005', fee: '0.0015', networks: [evm('ethereum')] },
  USDT: {
    asset: 'USDT',
    minimum: '10',
    fee: '2.5',
    networks: [evm('ethereum'), { name: 'tron', isValidAddress: v('usdt', 'trc20'), hint: 'a base58check Tron address starting with T' }],
  },
  USDC: { asset: 'USDC', minimum: '10', fee: '2.5', networks: [evm('ethereum')] },
  LTC: {
    asset: 'LTC',
    minimum: '0.01',
    fee: '0.001',
    networks: [{ name: 'litecoin', isValidAddress: v('ltc'), hint: 'a bech32 (ltc1…) or base58check (L…, M…) Litecoin address' }],
  },
  BNB: { asset: 'BNB', minimum: '0.01', fee: '0.0005', networks: [evm('bsc')] },
  SOL: { asset: 'SOL', minimum: '0.05', fee: '0.01', networks: [{ name: 'solana', isValidAddress: v('sol'), hint: 'a base58 Solana address (32 bytes)' }] },
  XRP: { asset: 'XRP', minimum: '20', fee: '0.25', networks: [{ name: 'ripple', isValidAddress: v('xrp'), hint: 'a classic XRP address starting with r' }] },
  DOGE: {
    asset: 'DOGE',
    minimum: '25',
    fee: '5',
    networks: [{ name: 'dogecoin', isValidAddress: v('doge'), hint: 'a base58check Dogecoin address starting with D' }],
  },
};

/** Every network some asset can leave on, for the API's `WithdrawalNetwork` enum. */
export const WITHDRAWAL_NETWORKS = [...new Set(Object.values(WITHDRAWAL_RULES).flatMap((r) => r.networks.map((n) => n.name)))];

export type AddressCheck = { ok: true; network: string } | { ok: false; message: string };

/** Validates `address` for `asset` on `network` (default: the asset's first network). */
export function checkWithdrawalAddress(asset: string, address: string, network?: string): AddressCheck {
  const rule = WITHDRAWAL_RULES[asset];
  if (!rule) return { ok: false, message: `${asset} cannot be withdrawn` };
  const net = network ? rule.networks.find((n) => n.name === network.toLowerCase()) : rule.networks[0];
  if (!net) return { ok: false, message: `${asset} is withdrawn on ${rule.networks.map((n) => n.name).join(' or ')}, not ${network}` };
  if (address.length < 25 || address.length > 100 || !net.isValidAddress(address)) {
    return { ok: false, message: `address is not a valid ${asset} address on ${net.name}: expected ${net.hint}` };
  }
  return { ok: true, network: net.name };
}
