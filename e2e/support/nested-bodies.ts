import request from 'supertest';
import type { RunningApp } from './app';
import type { TestUser } from './factories';

/**
 * Issue 14 item 2: deeply nested bodies are a 400 in the one error shape, never a 500 (class-transformer or the IPN
 * signature code overflowing the stack). The cases run on PostgreSQL (security-bodies) and on the embedded default
 * (PGlite, database-engines).
 */

export const WEBHOOK = '/api/wallet/webhook/nowpayments';

/** `{"x": [[[ … ]]]}` with `depth` containers in all (the object counts as one), as raw JSON text. */
export function nested(depth: number): string {
  return `{"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

export const NO_STACK = /\bat .+\(|\/src\/|\.js:\d|RangeError|Maximum call stack/;

export function expectInvalidBody(res: request.Response, what: string): void {
  if (res.status !== 400) throw new Error(`${what}: expected 400, got ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body).toMatchObject({ statusCode: 400, error: { code: 'INVALID_BODY', message: 'The request body is nested deeper than 32 levels' } });
  expect(JSON.stringify(res.body)).not.toMatch(NO_STACK);
}

/** The nesting cases both databases must pass: a user's ordinary routes with a body, and the IPN webhook. */
export async function nestingCases(app: RunningApp, user: TestUser): Promise<void> {
  const deep = nested(20_000);
  for (const [method, path] of [
    ['post', '/api/orders'],
    ['put', '/api/auth/profile'],
    ['post', '/api/alerts'],
    ['post', '/api/wallet/withdraw'],
  ] as const) {
    const res = await request(app.url)[method](path).set(user.auth).set('Content-Type', 'application/json').send(deep);
    expectInvalidBody(res, `${method} ${path}`);
  }
  // Unauthenticated routes and the webhook (whose signature code re-serialises the body) too.
  expectInvalidBody(await request(app.url).post('/api/auth/login').set('Content-Type', 'application/json').send(deep), 'login');
  expectInvalidBody(
    await request(app.url).post(WEBHOOK).set('Content-Type', 'application/json').set('x-nowpayments-sig', 'a'.repeat(128)).send(nested(2_000)),
    'webhook',
  );
  // Strings may hold any brackets: only real nesting counts. 32 levels still reach validation (an unknown field).
  const bracketsInStrings = await request(app.url)
    .put('/api/auth/profile')
    .set(user.auth)
    .send({ name: '[{\\"'.repeat(25) });
  expect(bracketsInStrings.status).toBe(200);
  const atLimit = await request(app.url).put('/api/auth/profile').set(user.auth).set('Content-Type', 'application/json').send(nested(32));
  expect(atLimit.status).toBe(400);
  expect(atLimit.body.error.code).toBe('VALIDATION_FAILED');
  expectInvalidBody(await request(app.url).put('/api/auth/profile').set(user.auth).set('Content-Type', 'application/json').send(nested(33)), '33 levels');
  // The server is fine afterwards.
  await request(app.url).get('/health').expect(200);
  await request(app.url).get('/api/auth/me').set(user.auth).expect(200);
}
