/**
 * Block explorers: where anyone can look a payout up by its transaction hash, per network a withdrawal can leave on.
 *
 * A link is built only from a hash in its chain's own format (checked here, whatever checked it before: the hash is
 * what an admin typed, or whatever reached the column), written in the chain's canonical form and URL-encoded into a
 * template whose scheme, host and path are fixed before `{hash}`. Anything else gives no link (null), never a guess.
 *
 * No dependencies: the configuration (BLOCK_EXPLORER_TX_URLS) validates its overrides with the same rules at boot.
 */

/** The placeholder a template carries exactly once, after its host. */
export const TX_HASH_PLACEHOLDER = '{hash}';

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `hash` as base58 decodes to exactly `bytes` bytes (leading '1's are zero bytes). */
function isBase58Of(hash: string, bytes: number): boolean {
  if (hash.length === 0 || hash.length > 100) return false;
  let n = 0n;
  for (const c of hash) {
    const digit = BASE58.indexOf(c);
    if (digit < 0) return false;
    n = n * 58n + BigInt(digit);
  }
  const zeros = hash.length - hash.replace(/^1+/, '').length;
  const body = n === 0n ? 0 : Math.ceil(n.toString(16).length / 2);
  return zeros + body === bytes;
}

/** A transaction id of the Bitcoin family (and Tron): 32 bytes as 64 hex digits, written in lower case. */
const hex64Lower = (hash: string): string | null => (HEX_64.test(hash) ? hash.toLowerCase() : null);
/** An EVM transaction hash: 32 bytes as 64 hex digits after 0x (the 0x may be left off), written 0x + lower case. */
const evmHash = (hash: string): string | null => {
  const digits = /^0x/i.test(hash) ? hash.slice(2) : hash;
  return HEX_64.test(digits) ? `0x${digits.toLowerCase()}` : null;
};

export interface BlockExplorer {
  /** The explorer's transaction page, `{hash}` where the hash goes; null for a network without one. */
  txUrl: string | null;
  /** The hash in the chain's canonical form, or null when it is not a transaction hash of this chain. */
  canonicalTxHash(hash: string): string | null;
  /** What a transaction hash of this chain looks like (documentation). */
  format: string;
}

/**
 * Every network of the withdrawal rules, with its default explorer: the chain's best-known public explorer.
 * BLOCK_EXPLORER_TX_URLS overrides a network's template (another explorer, a testnet's) or removes it (`none`).
 */
export const BLOCK_EXPLORERS: Readonly<Record<string, BlockExplorer>> = {
  bitcoin: { txUrl: 'https://mempool.space/tx/{hash}', canonicalTxHash: hex64Lower, format: '64 hex digits (the txid)' },
  ethereum: { txUrl: 'https://etherscan.io/tx/{hash}', canonicalTxHash: evmHash, format: '0x and 64 hex digits' },
  tron: { txUrl: 'https://tronscan.org/#/transaction/{hash}', canonicalTxHash: hex64Lower, format: '64 hex digits' },
  litecoin: { txUrl: 'https://litecoinspace.org/tx/{hash}', canonicalTxHash: hex64Lower, format: '64 hex digits (the txid)' },
  bsc: { txUrl: 'https://bscscan.com/tx/{hash}', canonicalTxHash: evmHash, format: '0x and 64 hex digits' },
  solana: {
    txUrl: 'https://solscan.io/tx/{hash}',
    // A transaction signature: 64 bytes in base58 (87 or 88 characters, fewer with leading zero bytes).
    canonicalTxHash: (hash) => (isBase58Of(hash, 64) ? hash : null),
    format: 'a base58 signature of 64 bytes',
  },
  ripple: {
    txUrl: 'https://xrpscan.com/tx/{hash}',
    canonicalTxHash: (hash) => (HEX_64.test(hash) ? hash.toUpperCase() : null),
    format: '64 hex digits',
  },
  dogecoin: { txUrl: 'https://blockchair.com/dogecoin/transaction/{hash}', canonicalTxHash: hex64Lower, format: '64 hex digits (the txid)' },
};

/** Only https, a plain host (no user, no `@`), a path, and `{hash}` once after the host: the hash can never change where the link goes. */
const TEMPLATE = /^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?\/[A-Za-z0-9\-._~/#?&=%]*$/;

/** Why `template` cannot be an explorer's transaction URL, or undefined when it can. */
export function explorerTemplateProblem(template: string): string | undefined {
  const parts = template.split(TX_HASH_PLACEHOLDER);
  if (parts.length !== 2) return `must contain ${TX_HASH_PLACEHOLDER} exactly once`;
  if (!TEMPLATE.test(parts.join('x'))) return 'must be an https URL with a lower-case host name and a path (letters, digits and - . _ ~ / # ? & = % only)';
  const host = /^https:\/\/[^/]+\//.exec(template);
  if (!host || parts[0].length < host[0].length) return `must have ${TX_HASH_PLACEHOLDER} in its path, after the host`;
  return undefined;
}

/**
 * Parses BLOCK_EXPLORER_TX_URLS: comma-separated `network=template` (or `network=none`), e.g.
 * `ethereum=https://eth.blockscout.com/tx/{hash},tron=none`. Problems are pushed to `problems`.
 */
export function parseExplorerOverrides(raw: string | undefined, problems: string[]): Record<string, string | null> {
  const overrides: Record<string, string | null> = {};
  if (raw === undefined) return overrides;
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const network = eq < 0 ? entry : entry.slice(0, eq).trim().toLowerCase();
    const template = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!Object.hasOwn(BLOCK_EXPLORERS, network)) {
      problems.push(`BLOCK_EXPLORER_TX_URLS: unknown network "${network}" (known: ${Object.keys(BLOCK_EXPLORERS).join(', ')})`);
      continue;
    }
    if (template.toLowerCase() === 'none') {
      overrides[network] = null;
      continue;
    }
    const problem = explorerTemplateProblem(template);
    if (problem) problems.push(`BLOCK_EXPLORER_TX_URLS: the ${network} explorer ${problem} (got "${template}")`);
    else overrides[network] = template;
  }
  return overrides;
}

/** The explorers of this deployment: the defaults with BLOCK_EXPLORER_TX_URLS's overrides. */
export class BlockExplorers {
  private readonly templates = new Map<string, string | null>();

  constructor(overrides: Readonly<Record<string, string | null>> = {}) {
    for (const [network, explorer] of Object.entries(BLOCK_EXPLORERS)) {
      const template = Object.hasOwn(overrides, network) ? overrides[network] : explorer.txUrl;
      // Checked again here: a template that is not safe is no template.
      this.templates.set(network, template !== null && explorerTemplateProblem(template) === undefined ? template : null);
    }
  }

  /** The network's transaction URL template (with `{hash}`), or null when it has no explorer. */
  txUrlTemplate(network: string): string | null {
    return this.templates.get(network) ?? null;
  }

  /**
   * The explorer's page of transaction `hash` on `network`; null without a hash, for a network without an explorer,
   * or when `hash` is not a transaction hash of that chain.
   */
  txUrl(network: string, hash: string | null | undefined): string | null {
    const template = this.templates.get(network);
    const explorer = Object.hasOwn(BLOCK_EXPLORERS, network) ? BLOCK_EXPLORERS[network] : undefined;
    if (!template || !explorer || typeof hash !== 'string') return null;
    const canonical = explorer.canonicalTxHash(hash);
    if (canonical === null) return null;
    const url = template.replace(TX_HASH_PLACEHOLDER, () => encodeURIComponent(canonical));
    // Where the link goes is the template's host, whatever the hash: checked on the result too.
    return new URL(url).origin === new URL(template.replace(TX_HASH_PLACEHOLDER, 'x')).origin ? url : null;
  }
}
