import { Injectable } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { AppConfig } from '../../../config/config.service';
import { WEBHOOK_SNIPPET_BYTES, WEBHOOK_TIMEOUT_MS, type WebhookDeliveryError } from './webhook-events';
import { WEBHOOK_HEADERS, webhookSignatureHeader } from './webhook-signature';
import { resolveWebhookTarget, targetLookup, urlHost, WebhookTargetError } from './webhook-targets';

/** One delivery to send: the endpoint, the event (its id and the exact body) and the secret that signs it. */
export interface WebhookRequest {
  url: string;
  eventId: string;
  body: string;
  secret: string;
}

/** What an attempt came to: delivered on a 2xx; else the status, or why there was none. */
export interface AttemptOutcome {
  delivered: boolean;
  statusCode: number | null;
  error: WebhookDeliveryError | null;
  snippet: string | null;
  durationMs: number;
}

class AttemptTimeout extends Error {
  constructor() {
    super('the endpoint did not answer in time');
  }
}

/** A response's first bytes as text a log can hold: at most 1,024 bytes, valid UTF-8, no NUL. */
export function responseSnippet(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  // NUL cannot be stored in a PostgreSQL text column: drop it.
  const text = bytes.subarray(0, WEBHOOK_SNIPPET_BYTES).toString('utf8').split('\u0000').join('');
  return text.length ? text : null;
}

function errorKind(e: unknown): WebhookDeliveryError {
  if (e instanceof AttemptTimeout) return 'timeout';
  if (e instanceof WebhookTargetError) return e.kind;
  const code = String((e as { code?: unknown }).code ?? '');
  if (/CERT|TLS|SSL|SIGNATURE|HOSTNAME/.test(code)) return 'tls_failed';
  return 'connection_failed';
}

/**
 * POSTs `body` to `url`, connected to `address` (the one the check passed; the name is not looked up again), with
 * the Host header and TLS server name of the URL's host. Never follows a redirect (a 3xx is the answer). Resolves
 * with the status and up to 1 KiB of the body once the status is known; everything, connecting included, must be
 * done within `timeoutMs`.
 */
export function postPinned(
  url: URL,
  address: { address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ statusCode: number; snippet: string | null }> {
  return new Promise((resolve, reject) => {
    const lookup = (_host: string, options: unknown, callback?: unknown): void => {
      const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, addr: string | LookupAddress[], family?: number) => void;
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      if (all) cb(null, [{ address: address.address, family: address.family }]);
      else cb(null, address.address, address.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let response: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (): void => {
      if (settled || !response) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode: response.statusCode ?? 0, snippet: responseSnippet(Buffer.concat(chunks)) });
      response.destroy();
    };
    const fail = (e: unknown): void => {
      if (settled) return;
      if (response) return finish(); // the status came: that is the answer, whatever happens to the body
      settled = true;
      clearTimeout(timer);
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const req = send(
      {
        protocol: url.protocol,
        hostname: urlHost(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: false,
        lookup: lookup as never,
      },
      (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => {
          if (size < WEBHOOK_SNIPPET_BYTES) {
            chunks.push(chunk);
            size += chunk.length;
          }
          if (size >= WEBHOOK_SNIPPET_BYTES) finish();
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => {
      const e = new AttemptTimeout();
      fail(e);
      req.destroy(e);
    }, timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}

/**
 * Sends one delivery (API.md "Webhooks"): checks the target again (every address of the host public, unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS; the name can point elsewhere since the endpoint was made), signs the body now
 * (`CryptoVault-Signature: t=…,v1=…`), POSTs it to the checked address and reports what came back. A 2xx within
 * 10 seconds is delivered; any other status (a redirect too: never followed), a timeout, a refused target or a network
 * error is a failed attempt. Never throws; never logs the secret or the body.
 */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfig) {}

  async send(req: WebhookRequest, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<AttemptOutcome> {
    const started = Date.now();
    const outcome = (o: Omit<AttemptOutcome, 'durationMs'>): AttemptOutcome => ({ ...o, durationMs: Date.now() - started });
    try {
      const url = new URL(req.url);
      const { allowPrivateTargets, dnsServers } = this.config.values.webhooks;
      const target = await resolveWebhookTarget(url, allowPrivateTargets, targetLookup(allowPrivateTargets, dnsServers), timeoutMs);
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await postPinned(
        url,
        target,
        {
          'Content-Type': 'application/json',
          'User-Agent': WEBHOOK_HEADERS.userAgent,
          [WEBHOOK_HEADERS.eventId]: req.eventId,
          [WEBHOOK_HEADERS.signature]: webhookSignatureHeader(req.secret, timestamp, req.body),
        },
        req.body,
        Math.max(1, timeoutMs - (Date.now() - started)),
      );
      const delivered = res.statusCode >= 200 && res.statusCode < 300;
      return outcome({ delivered, statusCode: res.statusCode, error: null, snippet: res.snippet });
    } catch (e) {
      return outcome({ delivered: false, statusCode: null, error: errorKind(e), snippet: null });
    }
  }
}
