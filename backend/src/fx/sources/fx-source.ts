import type { AppConfigValues, FxSourceName } from '../../config/app-config';
import { ECB_SAMPLE_XML } from './ecb-sample';

/** How long one fetch of the ECB document may take (connect, headers and body). */
export const FX_FETCH_TIMEOUT_MS = 15_000;
/** The daily document is about 1.5 KB; anything much larger is not it. */
export const FX_MAX_DOCUMENT_BYTES = 256 * 1024;

/** Where a reference-rates document comes from. Both sources give ECB-format XML, read by one parser. */
export interface FxSource {
  readonly name: FxSourceName;
  /** Shown to clients as `sourceName`. */
  readonly label: string;
  /** Where the document is read from, for the log. */
  readonly location: string;
  /** The document's text; throws FxSourceError when it cannot be had. */
  load(signal: AbortSignal): Promise<string>;
}

export class FxSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FxSourceError';
  }
}

export const ECB_LABEL = 'European Central Bank euro foreign exchange reference rates';
export const SAMPLE_LABEL = `Sample, not current: ${ECB_LABEL} of one past day, bundled with CryptoVault`;

/** The ECB's daily XML over HTTP(S): a 200 within FX_FETCH_TIMEOUT_MS, at most FX_MAX_DOCUMENT_BYTES of valid UTF-8. */
export class EcbHttpSource implements FxSource {
  readonly name = 'ecb' as const;
  readonly label = ECB_LABEL;

  constructor(private readonly url: string) {}

  get location(): string {
    return this.url;
  }

  async load(signal: AbortSignal): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        headers: { accept: 'application/xml, text/xml' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(FX_FETCH_TIMEOUT_MS)]),
      });
    } catch (e) {
      const err = e as Error;
      throw new FxSourceError(err.name === 'TimeoutError' ? `no answer within ${FX_FETCH_TIMEOUT_MS} ms` : `request failed: ${describe(err)}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new FxSourceError(`HTTP ${res.status}`);
    }
    const bytes = await readCapped(res, FX_MAX_DOCUMENT_BYTES);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new FxSourceError('the document is not valid UTF-8');
    }
  }
}

/** FX_SOURCE=sample: the bundled ECB document of one past day (no network). */
export class SampleSource implements FxSource {
  readonly name = 'sample' as const;
  readonly label = SAMPLE_LABEL;
  readonly location = 'the sample bundled with the build';

  load(): Promise<string> {
    return Promise.resolve(ECB_SAMPLE_XML);
  }
}

export function createFxSource(config: Pick<AppConfigValues, 'fxSource' | 'fxSourceUrl'>): FxSource {
  return config.fxSource === 'ecb' ? new EcbHttpSource(config.fxSourceUrl) : new SampleSource();
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new FxSourceError(`the document is ${declared} bytes, more than ${max}`);
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        throw new FxSourceError(`the document is more than ${max} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FxSourceError) throw e;
    const err = e as Error;
    throw new FxSourceError(
      err.name === 'TimeoutError' ? `no complete answer within ${FX_FETCH_TIMEOUT_MS} ms` : `reading the answer failed: ${describe(err)}`,
    );
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND …). */
function describe(err: Error): string {
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}

/** Nest token of the configured FxSource. */
export const FX_SOURCE = Symbol('FX_SOURCE');
