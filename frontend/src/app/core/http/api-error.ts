import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorDetailDto } from '../../api/models';

/**
 * Every failed SDK call rejects with an ApiError (the error interceptor builds it
 * from the API's one error shape `{statusCode, error:{code,message,details}, requestId}`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetailDto[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Messages per request field (`details[].field`), for forms to show on their fields. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (d.field && !out[d.field]) out[d.field] = d.message;
    }
    return out;
  }

  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof HttpErrorResponse) {
      const body = err.error as { error?: { code?: string; message?: string; details?: ErrorDetailDto[] }; requestId?: string } | null;
      if (body && typeof body === 'object' && body.error?.code) {
        return new ApiError(err.status, body.error.code, body.error.message ?? err.message, body.error.details ?? [], body.requestId);
      }
      if (err.status === 0) return new ApiError(0, 'NETWORK', $localize`The server cannot be reached. Check your connection.`);
      return new ApiError(err.status, 'HTTP_' + err.status, err.statusText || $localize`Request failed`);
    }
    return new ApiError(0, 'CLIENT', err instanceof Error ? err.message : $localize`Something went wrong`);
  }
}
