import { ArgumentsHost, Logger } from '@nestjs/common';
import { AppError, conflict, validationFailed } from '../errors/app-error';
import { TransactionConnectionLostError } from '../../database/transaction';
import { AllExceptionsFilter, isDatabaseUnavailable, toErrorBody } from './all-exceptions.filter';

describe('toErrorBody for a database that cannot be reached', () => {
  const lost = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Client has encountered a connection error and is not queryable'),
    Object.assign(new Error('query failed'), { driverError: new Error('Connection terminated due to connection timeout') }),
    // A transaction left idle past DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, its session ended by the server.
    new TransactionConnectionLostError(
      Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' }),
      new Error('Database connection provided by a query runner was already released'),
    ),
    // Whatever the server said as it ended the session, and when the work had no statement left (no cause).
    new TransactionConnectionLostError(Object.assign(new Error('terminating connection: some new reason'), { code: 'XX000' }), undefined),
  ];

  it.each(lost.map((e) => [e.message, e]))('answers 503 SERVICE_UNAVAILABLE with Retry-After for "%s", without internals', (_m, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
    const { body, headers, unexpected } = toErrorBody(e, 'req-1');
    expect(body).toEqual({
      statusCode: 503,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'A service we depend on is unavailable; please retry shortly' },
      requestId: 'req-1',
    });
    expect(headers).toEqual({ 'Retry-After': '5', 'Content-Language': 'en' });
    expect(unexpected).toBe(false);
  });

  it('keeps other database errors a generic 500', () => {
    const e = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(isDatabaseUnavailable(e)).toBe(false);
    expect(toErrorBody(e, 'r').body.statusCode).toBe(500);
  });

  it('answers a statement PostgreSQL cancelled (statement timeout) 503 DATABASE_BUSY with Retry-After, in German too', () => {
    const cancelled = Object.assign(new Error('query failed'), {
      driverError: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    });
    const { body, headers, unexpected } = toErrorBody(cancelled, 'req-2');
    expect(body).toEqual({ statusCode: 503, error: { code: 'DATABASE_BUSY', message: 'The database is busy; please retry shortly' }, requestId: 'req-2' });
    expect(headers).toEqual({ 'Retry-After': '2', 'Content-Language': 'en' });
    expect(unexpected).toBe(false);
    expect(toErrorBody(cancelled, 'req-3', 'de').body.error.message).not.toBe('The database is busy; please retry shortly');
  });

  it('leaves application errors alone', () => {
    expect(toErrorBody(new AppError(422, 'PRICE_STALE', 'stale'), 'r').body.error.code).toBe('PRICE_STALE');
  });
});

describe('the error filter in the caller’s language', () => {
  it('translates the message and the field messages, keeps the code, and says the language', () => {
    const e = validationFailed([
      { field: 'email', message: 'Enter a valid email address' },
      { field: 'password', message: 'Use at least 8 characters' },
    ]);
    const { body, headers } = toErrorBody(e, 'r', 'de');
    expect(body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Einige Felder sind ungültig',
      details: [
        { field: 'email', message: 'Geben Sie eine gültige E-Mail-Adresse ein' },
        { field: 'password', message: 'Verwenden Sie mindestens 8 Zeichen' },
      ],
    });
    expect(headers['Content-Language']).toBe('de');
  });

  it("keeps the exception's own headers and English message as they were", () => {
    const e = new AppError(429, 'RATE_LIMITED', 'Too many attempts. Please try again in 15 minutes.', undefined, { 'Retry-After': '900' });
    const { body, headers } = toErrorBody(e, 'r', 'es');
    expect(body.error.message).toBe('Demasiados intentos. Vuelve a intentarlo dentro de 15 minutos.');
    expect(headers).toEqual({ 'Retry-After': '900', 'Content-Language': 'es' });
    expect(e.headers).toEqual({ 'Retry-After': '900' });
    expect(e.message).toBe('Too many attempts. Please try again in 15 minutes.');
  });

  it('says English when a message has no translation', () => {
    const { body, headers } = toErrorBody(conflict('INVALID_STATE', 'A message no catalogue has'), 'r', 'de');
    expect(body.error).toEqual({ code: 'INVALID_STATE', message: 'A message no catalogue has' });
    expect(headers['Content-Language']).toBe('en');
  });

  it('answers in the language of Accept-Language, varies by it, and logs in English', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sent: { status?: number; body?: unknown; headers: Record<string, string>; vary: string[] } = { headers: {}, vary: [] };
    const res = {
      headersSent: false,
      setHeader: (k: string, v: string) => (sent.headers[k] = v),
      removeHeader: () => undefined,
      vary: (field: string) => sent.vary.push(field),
      type: () => res,
      status: (s: number) => ((sent.status = s), res),
      json: (b: unknown) => (sent.body = b),
    };
    const req = { method: 'GET', originalUrl: '/api/portfolio', headers: { 'accept-language': 'fr, de;q=0.8' } };
    const host = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
    new AllExceptionsFilter().catch(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }), host);
    expect(sent.status).toBe(503);
    expect((sent.body as { error: unknown }).error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Ein Dienst, auf den wir angewiesen sind, ist nicht verfügbar; bitte versuchen Sie es gleich noch einmal',
    });
    expect(sent.headers).toMatchObject({ 'Content-Language': 'de', 'Retry-After': '5' });
    expect(sent.vary).toEqual(['Accept-Language']);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ reason: 'Connection terminated unexpectedly' }), 'dependency unavailable');
    warn.mockRestore();
  });
});
