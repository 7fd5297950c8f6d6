import type { components } from './generated/openapi';

/** The API's one error shape: `{statusCode, error: {code, message, details?}, requestId}`. */
export type ApiErrorBody = components['schemas']['ErrorResponseDto'];
/** One field-level detail of a 400 VALIDATION_FAILED (and of a few 422s). */
export type ApiErrorDetail = components['schemas']['ErrorDetailDto'];

/**
 * A non-2xx answer of the API. `code` is the stable machine-readable code (docs/API.md "Error codes"): e.g.
 * `API_KEY_SCOPE_MISSING` (403), `INSUFFICIENT_FUNDS` (422), `RATE_LIMITED` (429, see `retryAfterSeconds`).
 * An answer that is not the API's error shape (a proxy's 502 page) has the code `UNEXPECTED_RESPONSE`.
 */
export class CryptoVaultApiError extends Error {
  override readonly name = 'CryptoVaultApiError';
  /** The HTTP status. */
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  /** The server's request id (quote it to support), when the answer carried one. */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed error body as the API sent it, when it was the API's error shape. */
  readonly body: ApiErrorBody | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: ApiErrorDetail[];
    requestId?: string;
    retryAfterSeconds?: number;
    body?: ApiErrorBody;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
  }
}

/** Whether `e` is an API error, optionally with one of `codes`. */
export function isApiError(e: unknown, ...codes: string[]): e is CryptoVaultApiError {
  return e instanceof CryptoVaultApiError && (codes.length === 0 || codes.includes(e.code));
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (!value || typeof value !== 'object') return false;
  const error = (value as { error?: unknown }).error;
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** The error for a non-2xx answer with this status, headers and body text. */
export function errorFromResponse(status: number, headers: Headers, text: string): CryptoVaultApiError {
  const retryAfter = headers.get('retry-after');
  const retryAfterSeconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isErrorBody(parsed)) {
    return new CryptoVaultApiError({
      status,
      code: parsed.error.code,
      message: parsed.error.message,
      details: parsed.error.details,
      requestId: parsed.requestId,
      retryAfterSeconds,
      body: parsed,
    });
  }
  return new CryptoVaultApiError({
    status,
    code: 'UNEXPECTED_RESPONSE',
    message: `HTTP ${status}: ${text.slice(0, 200) || 'no body'}`,
    requestId: headers.get('x-request-id') ?? undefined,
    retryAfterSeconds,
  });
}
