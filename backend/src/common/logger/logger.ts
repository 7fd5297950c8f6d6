import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { requestContext } from '../request-context';

/** Paths that are never written to a log, whatever logs them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-setup-token"]',
  'req.headers["x-csrf-token"]',
  'req.headers["x-nowpayments-sig"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.twoFactorCode',
  '*.backupCodes',
  '*.apiKey',
  // The bind parameters of a failed query (TypeORM's QueryFailedError): a TOTP secret, a password hash, …
  '*.parameters',
];

/** Path segments that are secrets themselves (the reset token of `GET /api/auth/validate-reset-token/:token`). */
const SECRET_PATH_SEGMENT = /^(\/api\/auth\/validate-reset-token\/)[^/?#]+/;

/**
 * A request URL as it may be logged: without the query string (links carry
 * tokens there) and with secret path segments redacted.
 */
export function loggableUrl(url: string): string {
  return url.split('?')[0].replace(SECRET_PATH_SEGMENT, '$1[redacted]');
}

export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'cryptovault' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const ctx = requestContext.getStore();
      return ctx ? { requestId: ctx.requestId, ...(ctx.userId ? { userId: ctx.userId } : {}) } : {};
    },
  });
}

/** The contexts of Nest's start-up messages, logged at debug (LOG_LEVEL=debug shows them). */
const NEST_STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController', 'NestApplication']);

/** Routes Nest's own logger (and `new Logger(...)` everywhere) to pino, structured. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'warn' | 'error' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const obj: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n')) obj.stack = rest[0];
    // `logger.warn({ fields }, 'text')`: Nest passes 'text' as an extra parameter; keep it as the message.
    const text = typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) this.logger[level]({ ...obj, err: message }, text ?? message.message);
    else if (message !== null && typeof message === 'object') this.logger[level]({ ...obj, ...(message as object) }, text);
    else this.logger[level](obj, String(message));
  }

  log(message: unknown, ...rest: unknown[]): void {
    // Nest's own start-up chatter (every module initialised, every route mapped: over a hundred lines) is for debugging.
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && NEST_STARTUP_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}
