import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, ErrorDetail } from '../errors/app-error';
import { currentRequestId } from '../request-context';

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
}

const DB_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

/** Turns any failure into the one error shape of ARCHITECTURE §5. */
export function toErrorBody(exception: unknown, requestId: string): { body: ErrorBody; headers: Record<string, string>; unexpected: boolean } {
  let status = 500;
  let code = 'INTERNAL';
  let message = 'Something went wrong on our side. It has been logged.';
  let details: ErrorDetail[] | undefined;
  let headers: Record<string, string> = {};
  let unexpected = false;

  if (exception instanceof AppError) {
    ({ status, code, message, details } = exception);
    headers = exception.headers ?? {};
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const res = exception.getResponse();
    const raw = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)) message = 'No such route';
    if (status === 413) message = 'The request body is larger than the 1 MB limit';
    const parserType = (exception.cause as BodyParserError | undefined)?.type;
    if (parserType === 'entity.parse.failed') message = 'The request body is not valid JSON';
    if (status >= 500) {
      unexpected = true;
      message = 'Something went wrong on our side. It has been logged.';
    }
  } else if ((exception as BodyParserError)?.type && (exception as BodyParserError).expose) {
    const e = exception as BodyParserError;
    status = e.status ?? 400;
    if (e.type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      message = 'The request body is larger than the 1 MB limit';
    } else if (e.type === 'entity.parse.failed') {
      code = 'VALIDATION_FAILED';
      message = 'The request body is not valid JSON';
    } else {
      code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
      message = 'The request body could not be read';
    }
  } else {
    const pgCode = (exception as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (exception as { code?: string })?.code;
    if (pgCode && DB_UNAVAILABLE.has(pgCode)) {
      status = 503;
      code = 'SERVICE_UNAVAILABLE';
      message = 'A service we depend on is unavailable; please retry shortly';
      headers['Retry-After'] = '5';
    }
    unexpected = true;
  }
  const body: ErrorBody = { statusCode: status, error: { code, message, ...(details ? { details } : {}) }, requestId };
  return { body, headers, unexpected };
}

/** Responses answered 503 because the request took too long (httpEdge); a late answer or error is dropped. */
export const timedOutResponses = new WeakSet<object>();

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
    const { body, headers, unexpected } = toErrorBody(exception, requestId);
    if (unexpected) this.logger.error({ err: exception, method: req.method, url: req.originalUrl, status: body.statusCode }, 'request failed');
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    // A route's @Header (e.g. a CSV download) is set before validation runs: the error is JSON, not an attachment.
    res.removeHeader('Content-Disposition');
    res.type('application/json');
    res.status(body.statusCode || HttpStatus.INTERNAL_SERVER_ERROR).json(body);
  }
}
