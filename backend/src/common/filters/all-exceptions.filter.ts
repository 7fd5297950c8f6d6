import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pgErrorCode, TransactionConnectionLostError } from '../../database/transaction';
import { AppError, ErrorDetail } from '../errors/app-error';
import { ErrorLanguage, negotiateLanguage } from '../i18n/error-language';
import { localizeError } from '../i18n/error-messages';
import { loggableUrl } from '../logger/logger';
import { currentRequestId } from '../request-context';
import { reportUnexpectedError } from '../../observability/error-reports';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'INVALID_STATE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

export interface ErrorBody {
  statusCode: number;
  error: { code: string; message: string; details?: ErrorDetail[] };
  requestId: string;
}

/** Errors raised by Express' body parser before any Nest code runs. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  /** entity.too.large: the limit in bytes. */
  limit?: number;
}

/** "The request body is larger than the 16 KB limit": the limit of the parser that refused it (1 MB unless a route has its own). */
function tooLarge(limitBytes: number | undefined): string {
  const limit = limitBytes ?? 1024 * 1024;
  const size =
    limit >= 1024 * 1024 && limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MB` : limit % 1024 === 0 ? `${limit / 1024} KB` : `${limit} byte`;
  return `The request body is larger than the ${size} limit`;
}

/**
 * SQLSTATEs of a server shutting down or a lost connection (25P03: the server ended a session whose transaction sat
 * idle past DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, see database/transaction.ts TransactionConnectionLostError), and
 * socket errors of the driver.
 */
const DB_UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '25P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
/** What node-postgres throws, without a code, when a pooled connection died or a new one could not be made in time. */
const DB_LOST = /Connection terminated|not queryable|timeout exceeded when trying to connect|terminating connection due to administrator command/i;

/**
 * Whether PostgreSQL cancelled the statement (SQLSTATE 57014, query_canceled): it ran or waited longer than
 * DATABASE_STATEMENT_TIMEOUT_MS (or an operator cancelled it). Its transaction was rolled back.
 */
export function isStatementCancelled(exception: unknown): boolean {
  return !!exception && typeof exception === 'object' && pgErrorCode(exception) === '57014';
}

/**
 * Whether a failure means "the database cannot be reached right now" (PostgreSQL
 * restarting, failing over, or down): a 503 the client may retry, not a bug.
 */
export function isDatabaseUnavailable(exception: unknown): boolean {
  // A transaction whose connection was lost between its statements, whatever the server said as it ended the session.
  if (exception instanceof TransactionConnectionLostError) return true;
  const e = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  for (const err of [e.driverError, e]) {
    if (!err) continue;
    if (typeof err.code === 'string' && DB_UNAVAILABLE.has(err.code)) return true;
    if (typeof err.message === 'string' && DB_LOST.test(err.message)) return true;
  }
  return false;
}

/**
 * Turns any failure into the one error shape of ARCHITECTURE §5, its messages in `language` (common/i18n: the
 * English source text when the catalogue has no entry) and that language in `Content-Language`.
 */
export function toErrorBody(
  exception: unknown,
  requestId: string,
  language: ErrorLanguage = 'en',
): { body: ErrorBody; headers: Record<string, string>; unexpected: boolean } {
  let status = 500;
  let code = 'INTERNAL';
  let message = 'Something went wrong on our side. It has been logged.';
  let details: ErrorDetail[] | undefined;
  let headers: Record<string, string> = {};
  let unexpected = false;

  if (exception instanceof AppError) {
    ({ status, code, message, details } = exception);
    headers = { ...exception.headers };
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const res = exception.getResponse();
    const raw = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)) message = 'No such route';
    const parserError = exception.cause as BodyParserError | undefined;
    if (status === 413) message = tooLarge(parserError?.limit);
    if (parserError?.type === 'entity.parse.failed') message = 'The request body is not valid JSON';
    if (parserError?.type === 'entity.too.deep') {
      code = 'INVALID_BODY';
      message = (parserError as Error).message;
    }
    if (status >= 500) {
      unexpected = true;
      message = 'Something went wrong on our side. It has been logged.';
    }
  } else if ((exception as BodyParserError)?.type && (exception as BodyParserError).expose) {
    const e = exception as BodyParserError;
    status = e.status ?? 400;
    if (e.type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      message = tooLarge(e.limit);
    } else if (e.type === 'entity.too.deep') {
      code = 'INVALID_BODY';
      message = (exception as Error).message;
    } else if (e.type === 'entity.parse.failed') {
      code = 'VALIDATION_FAILED';
      message = 'The request body is not valid JSON';
    } else {
      code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
      message = 'The request body could not be read';
    }
  } else if (isStatementCancelled(exception)) {
    // The same answer as the embedded database's busy connection (database/pglite-driver.ts databaseBusy).
    status = 503;
    code = 'DATABASE_BUSY';
    message = 'The database is busy; please retry shortly';
    headers['Retry-After'] = '2';
  } else if (isDatabaseUnavailable(exception)) {
    status = 503;
    code = 'SERVICE_UNAVAILABLE';
    message = 'A service we depend on is unavailable; please retry shortly';
    headers['Retry-After'] = '5';
  } else {
    unexpected = true;
  }
  const localized = localizeError({ code, message, ...(details ? { details } : {}) }, language);
  headers['Content-Language'] = localized.language;
  const body: ErrorBody = { statusCode: status, error: localized.error, requestId };
  return { body, headers, unexpected };
}

/** Responses answered 503 because the request took too long (httpEdge); a late answer or error is dropped. */
export const timedOutResponses = new WeakSet<object>();

/** The `error.code` each error response was sent with, for the request metrics (read when the response closes). */
const errorCodes = new WeakMap<object, string>();

/** Notes that `res` is answered with this error code (the filter, and httpEdge's 503 for a request that took too long). */
export function recordErrorCode(res: object, code: string): void {
  errorCodes.set(res, code);
}

/** The error code `res` was answered with, if it was an error in the one error shape. */
export function errorCodeOf(res: object): string | undefined {
  return errorCodes.get(res);
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    // Already answered 503 for taking too long: whatever the handler did afterwards is dropped.
    if (timedOutResponses.has(res)) return;
    const requestId = currentRequestId() ?? String(req.id ?? '');
    // The answer is in the caller's language; the log lines below keep the exception's English.
    const { body, headers, unexpected } = toErrorBody(exception, requestId, negotiateLanguage(req.headers['accept-language']));
    if (unexpected) {
      this.logger.error({ err: exception, method: req.method, url: loggableUrl(req.originalUrl), status: body.statusCode }, 'request failed');
      reportUnexpectedError(exception, requestId);
    } else if (body.statusCode === 503)
      this.logger.warn({ method: req.method, url: loggableUrl(req.originalUrl), reason: (exception as Error).message }, 'dependency unavailable');
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.vary('Accept-Language');
    // A route's @Header (e.g. a CSV download) is set before validation runs: the error is JSON, not an attachment.
    res.removeHeader('Content-Disposition');
    res.type('application/json');
    recordErrorCode(res, body.error.code);
    res.status(body.statusCode || HttpStatus.INTERNAL_SERVER_ERROR).json(body);
  }
}
