import { observabilityHooks } from './hooks';

/** Reports an error answered with a 500 to the error tracker, when there is one (SENTRY_DSN); else does nothing. */
export function reportUnexpectedError(error: unknown, requestId: string): void {
  observabilityHooks()?.captureUnexpected?.(error, requestId);
}
