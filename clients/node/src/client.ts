import type { KeyObject } from 'node:crypto';
import { errorFromResponse } from './errors';
import type { paths } from './generated/openapi';
import { ed25519PrivateKey, signRequest } from './signing';

/** The HTTP methods of the API-key operations. */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** The paths that have an `M` operation: `PathsWith<'post'>` is `'/api/orders' | '/api/alerts' | …`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, infer Op> ? ([Op] extends [never] ? never : P) : never;
}[keyof paths];

/** The operation at `M P`, as generated from openapi.json. */
export type Operation<P extends keyof paths, M extends HttpMethod> = paths[P] extends Record<M, infer Op> ? Op : never;

type ParametersOf<Op> = Op extends { parameters: infer X } ? X : never;
type PathParamsOf<Op> = ParametersOf<Op> extends { path: infer X } ? X : never;
type QueryOf<Op> = ParametersOf<Op> extends { query?: infer Q } ? NonNullable<Q> : never;
type HeadersOf<Op> = ParametersOf<Op> extends { header?: infer H } ? NonNullable<H> : never;
type IdempotencyKeyOf<Op> = [HeadersOf<Op>] extends [never] ? never : 'Idempotency-Key' extends keyof HeadersOf<Op> ? string : never;
type JsonBodyOf<Op> = Op extends { requestBody?: infer R }
  ? [NonNullable<R>] extends [never]
    ? never
    : NonNullable<R> extends { content: { 'application/json': infer B } }
      ? B
      : never
  : never;

/** `{K?: never}` when the operation has no such input, `{K?: T}` when all of T is optional, else `{K: T}`. */
type Field<K extends string, T, Required extends boolean = true> = [T] extends [never]
  ? { [P in K]?: never }
  : Required extends false
    ? { [P in K]?: T }
    : object extends T
      ? { [P in K]?: T }
      : { [P in K]: T };

/** What a call of the operation takes: its path parameters, query, JSON body and, where the API takes one, an Idempotency-Key. */
export type RequestOptions<Op> = Field<'path', PathParamsOf<Op>> &
  Field<'query', QueryOf<Op>> &
  Field<'body', JsonBodyOf<Op>, Op extends { requestBody: unknown } ? true : false> &
  Field<'idempotencyKey', IdempotencyKeyOf<Op>, false> & {
    /** Aborts the request. */
    signal?: AbortSignal;
  };

type SuccessStatus = 200 | 201 | 202 | 204;
type SuccessResponseOf<Op> = Op extends { responses: infer R } ? R[Extract<keyof R, SuccessStatus>] : never;

/** What a successful call answers: the JSON body's type, the text of a CSV export, or undefined for a 204. */
export type ResponseOf<Op> =
  SuccessResponseOf<Op> extends infer S
    ? S extends { content: { 'application/json': infer J } }
      ? J
      : S extends { content: Record<string, infer T> }
        ? T
        : undefined
    : never;

type Args<Op> = object extends RequestOptions<Op> ? [options?: RequestOptions<Op>] : [options: RequestOptions<Op>];

export interface ClientOptions {
  /** Where the API is: `https://cryptovault.example` (the paths, `/api/…`, are appended). */
  baseUrl: string;
  /** The API key's id (what the server answered when the key was created). */
  keyId: string;
  /** The key's Ed25519 private key: a KeyObject, a PKCS#8 PEM or its DER bytes. Only ever used to sign. */
  privateKey: KeyObject | string | Uint8Array;
  /** Gives up on a request after this long (an AbortError); default 30 000 ms. */
  timeoutMs?: number;
  /** The fetch to use; default the global fetch of Node 20. */
  fetch?: typeof fetch;
}

/**
 * A typed CryptoVault API client for one API key. Each call signs its request (a new nonce and timestamp every time),
 * answers the operation's typed response, and throws a CryptoVaultApiError (`status`, `code`, `message`, `details`)
 * for any non-2xx answer. Only the operations an API key may call are typed; the key's scopes decide which of them it
 * may use (a missing scope is 403 API_KEY_SCOPE_MISSING).
 */
export interface CryptoVaultClient {
  get<P extends PathsWith<'get'>>(path: P, ...args: Args<Operation<P, 'get'>>): Promise<ResponseOf<Operation<P, 'get'>>>;
  post<P extends PathsWith<'post'>>(path: P, ...args: Args<Operation<P, 'post'>>): Promise<ResponseOf<Operation<P, 'post'>>>;
  patch<P extends PathsWith<'patch'>>(path: P, ...args: Args<Operation<P, 'patch'>>): Promise<ResponseOf<Operation<P, 'patch'>>>;
  delete<P extends PathsWith<'delete'>>(path: P, ...args: Args<Operation<P, 'delete'>>): Promise<ResponseOf<Operation<P, 'delete'>>>;
}

interface AnyRequestOptions {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | readonly (string | number | boolean)[] | undefined | null>;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** `/api/orders/{id}` with `{id}` filled in (percent-encoded); throws when a parameter is missing. */
function fillPath(template: string, params: AnyRequestOptions['path']): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new TypeError(`path parameter ${name} is required for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: AnyRequestOptions['query']): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A client signing every request with the API key `keyId` (see CryptoVaultClient). */
export function createClient(options: ClientOptions): CryptoVaultClient {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('baseUrl must be an http(s) URL');
  const prefix = base.pathname.replace(/\/+$/, '');
  if (typeof options.keyId !== 'string' || options.keyId.trim() === '') throw new TypeError('keyId is required');
  const keyId = options.keyId.trim();
  const privateKey = ed25519PrivateKey(options.privateKey);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  async function call(method: HttpMethod, template: string, opts: AnyRequestOptions = {}): Promise<unknown> {
    const url = new URL(`${base.origin}${prefix}${fillPath(template, opts.path)}${queryString(opts.query)}`);
    // The request target as it goes on the request line: what the server verifies the signature over.
    const pathWithQuery = `${url.pathname}${url.search}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...signRequest(keyId, privateKey, { method, pathWithQuery, body }),
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey !== undefined) headers['Idempotency-Key'] = opts.idempotencyKey;
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetchImpl(url, {
      method: method.toUpperCase(),
      headers,
      body,
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
      redirect: 'error',
    });
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response.status, response.headers, text);
    if (response.status === 204 || text === '') return undefined;
    return (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  }

  const client = {
    get: (path: string, opts?: AnyRequestOptions) => call('get', path, opts),
    post: (path: string, opts?: AnyRequestOptions) => call('post', path, opts),
    patch: (path: string, opts?: AnyRequestOptions) => call('patch', path, opts),
    delete: (path: string, opts?: AnyRequestOptions) => call('delete', path, opts),
  };
  return client as unknown as CryptoVaultClient;
}
