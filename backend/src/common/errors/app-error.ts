export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * A failure the client is meant to understand: an HTTP status, a stable
 * machine-readable code (API.md "Error codes") and a human message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (message = 'Not found'): AppError => new AppError(404, 'NOT_FOUND', message);
export const conflict = (code: string, message: string): AppError => new AppError(409, code, message);
export const unprocessable = (code: string, message: string, details?: ErrorDetail[]): AppError => new AppError(422, code, message, details);
export const unauthenticated = (code = 'UNAUTHENTICATED', message = 'Authentication required'): AppError => new AppError(401, code, message);
export const forbidden = (code = 'FORBIDDEN', message = 'You are not allowed to do this'): AppError => new AppError(403, code, message);
export const badRequest = (code: string, message: string, details?: ErrorDetail[]): AppError => new AppError(400, code, message, details);
export const validationFailed = (details: ErrorDetail[]): AppError =>
  new AppError(400, 'VALIDATION_FAILED', details.length === 1 ? details[0].message : 'Some fields are invalid', details);
