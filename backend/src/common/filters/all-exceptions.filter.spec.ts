import { AppError } from '../errors/app-error';
import { isDatabaseUnavailable, toErrorBody } from './all-exceptions.filter';

describe('toErrorBody for a database that cannot be reached', () => {
  const lost = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Client has encountered a connection error and is not queryable'),
    Object.assign(new Error('query failed'), { driverError: new Error('Connection terminated due to connection timeout') }),
  ];

  it.each(lost.map((e) => [e.message, e]))('answers 503 SERVICE_UNAVAILABLE with Retry-After for "%s", without internals', (_m, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
    const { body, headers, unexpected } = toErrorBody(e, 'req-1');
    expect(body).toEqual({
      statusCode: 503,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'A service we depend on is unavailable; please retry shortly' },
      requestId: 'req-1',
    });
    expect(headers).toEqual({ 'Retry-After': '5' });
    expect(unexpected).toBe(false);
  });

  it('keeps other database errors a generic 500', () => {
    const e = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(isDatabaseUnavailable(e)).toBe(false);
    expect(toErrorBody(e, 'r').body.statusCode).toBe(500);
  });

  it('leaves application errors alone', () => {
    expect(toErrorBody(new AppError(422, 'PRICE_STALE', 'stale'), 'r').body.error.code).toBe('PRICE_STALE');
  });
});
