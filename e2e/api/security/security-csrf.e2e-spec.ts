import request from 'supertest';
import { createUser, type TestUser } from '../../support/factories';
import { useAppSuite } from '../../support/suite';

jest.setTimeout(60_000);

/** The value of a Set-Cookie for `name` in a response, if any. */
function setCookie(res: request.Response, name: string): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = (raw ?? []).find((c) => c.startsWith(`${name}=`));
  return line ? decodeURIComponent(line.slice(name.length + 1).split(';')[0]) : undefined;
}

/**
 * Issue 14 item 6: login CSRF and cookie CSRF. A browser on another site can make the victim's
 * browser send simple requests (urlencoded or text/plain forms) with the victim's cookies, and a
 * sibling site can plant cookies; none of that may sign anyone in or act for them.
 */
describe('security: login CSRF and cookie CSRF', () => {
  const suite = useAppSuite();
  let victim: TestUser;
  let attacker: TestUser;
  let origin: string;

  beforeAll(async () => {
    [victim, attacker] = await Promise.all([createUser(suite.app, suite.mail), createUser(suite.app, suite.mail)]);
    origin = new URL(suite.app.url).origin;
  });

  /** The CSRF token GET /api/csrf hands to whoever holds these access cookies. */
  const csrfFor = async (user: TestUser): Promise<string> => {
    const res = await request(suite.app.url).get('/api/csrf').set('Cookie', `access_token=${user.accessToken}`);
    expect(res.status).toBe(200);
    expect(setCookie(res, 'csrf_token')).toBe(res.body.csrfToken);
    return res.body.csrfToken as string;
  };
  /** A cookie-authenticated state-changing request, as a browser page would send it. */
  const profileUpdate = (user: TestUser, token: string, headers: Record<string, string> = {}) =>
    request(suite.app.url)
      .put('/api/auth/profile')
      .set('Cookie', [`access_token=${user.accessToken}`, `csrf_token=${token}`])
      .set('X-CSRF-Token', token)
      .set(headers)
      .send({ name: 'Changed By Test' });

  it('refuses a cross-site urlencoded form login with 415 and sets no cookie', async () => {
    const res = await request(suite.app.url)
      .post('/api/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`email=${encodeURIComponent(attacker.email)}&password=${encodeURIComponent(attacker.password)}`);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) }, requestId: expect.any(String) });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a JSON body sent as text/plain (a form a page can post without a preflight) with 415, on login and on authenticated routes', async () => {
    const login = await request(suite.app.url)
      .post('/api/auth/login')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ email: attacker.email, password: attacker.password }));
    expect(login.status).toBe(415);
    expect(login.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(login.headers['set-cookie']).toBeUndefined();
    const token = await csrfFor(victim);
    const profile = await request(suite.app.url)
      .put('/api/auth/profile')
      .set('Cookie', [`access_token=${victim.accessToken}`, `csrf_token=${token}`])
      .set('X-CSRF-Token', token)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ name: 'Plain' }));
    expect(profile.status).toBe(415);
    expect(profile.text).not.toMatch(/at \w+ \(/);
    // Bodiless state-changing calls need no content type.
    const csrf = await csrfFor(victim);
    const markRead = await request(suite.app.url)
      .post('/api/notifications/read-all')
      .set('Cookie', [`access_token=${victim.accessToken}`, `csrf_token=${csrf}`])
      .set('X-CSRF-Token', csrf);
    expect(markRead.status).not.toBe(415);
  });

  it('refuses a cookie-authenticated request from a foreign Origin, or marked cross-site by Sec-Fetch-Site, with 403', async () => {
    const token = await csrfFor(victim);
    const foreign = await profileUpdate(victim, token, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    const crossSite = await profileUpdate(victim, token, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    const nullOrigin = await profileUpdate(victim, token, { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // Also before any session: a page elsewhere cannot sign a browser in, whatever the body.
    const login = await request(suite.app.url)
      .post('/api/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ email: attacker.email, password: attacker.password });
    expect(login.status).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a CSRF token taken from another session (the attacker’s own valid pair) for the victim’s session', async () => {
    const attackersToken = await csrfFor(attacker);
    // The attacker's pair is valid for the attacker...
    expect((await profileUpdate(attacker, attackersToken, { Origin: origin })).status).toBe(200);
    // ...but planted in the victim's browser (cookie and header agree) it does not act for the victim.
    const res = await profileUpdate(victim, attackersToken, { Origin: origin });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_INVALID');
    // Nor does any self-made matching pair.
    const made = await profileUpdate(victim, 'a'.repeat(43), { Origin: origin });
    expect(made.status).toBe(403);
    expect(made.body.error.code).toBe('CSRF_INVALID');
    // A second session of the victim has a token of its own.
    const again = await request(suite.app.url).post('/api/auth/login').send({ email: victim.email, password: victim.password });
    const second = { ...victim, accessToken: again.body.accessToken as string };
    expect((await profileUpdate(second, await csrfFor(victim), { Origin: origin })).status).toBe(403);
  });

  it('keeps the legitimate flow working: the token set at login (and by GET /api/csrf) acts for that session; the IPN webhook still takes JSON without CSRF', async () => {
    const anon = await request(suite.app.url).get('/api/csrf');
    const preSession = anon.body.csrfToken as string;
    const login = await request(suite.app.url)
      .post('/api/auth/login')
      .set('Origin', origin)
      .set('Cookie', `csrf_token=${preSession}`)
      .set('X-CSRF-Token', preSession)
      .send({ email: victim.email, password: victim.password });
    expect(login.status).toBe(200);
    const access = setCookie(login, 'access_token');
    const bound = setCookie(login, 'csrf_token');
    expect(access).toBeTruthy();
    expect(bound).toBeTruthy();
    expect(bound).not.toBe(preSession);
    const session = { ...victim, accessToken: access! };
    expect(await csrfFor(session)).toBe(bound);
    const res = await profileUpdate(session, bound!, { Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(res.status).toBe(200);
    expect(res.body.user.name).toBe('Changed By Test');
    // No Origin at all (a non-browser client with cookies) is judged by the token alone.
    expect((await profileUpdate(session, bound!)).status).toBe(200);
    // Bearer-authenticated calls need neither.
    expect((await request(suite.app.url).put('/api/auth/profile').set(victim.auth).send({ name: 'Bearer' })).status).toBe(200);
    // The webhook (JSON, signed, no cookies) is not a browser route: an unsigned one is refused for its signature, not its origin or type.
    const ipn = await request(suite.app.url)
      .post('/api/wallet/webhook/nowpayments')
      .set('Content-Type', 'application/json')
      .set('Origin', 'https://ipn.example')
      .send({ payment_id: 1 });
    expect(ipn.status).toBe(400);
    expect(ipn.body.error.code).toBe('INVALID_SIGNATURE');
  });
});
