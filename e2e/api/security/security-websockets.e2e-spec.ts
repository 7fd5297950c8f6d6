import request from 'supertest';
import { startApp } from '../../support/app';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { useAppSuite } from '../../support/suite';
import { openUserSocket, TestSocket, wsUrl } from '../../support/ws-client';

// Boots one instance (and a second one for the cross-instance revocation), opens real sockets.
jest.setTimeout(90_000);

/**
 * Issue 14 item 5 (WebSocket limits cannot be bypassed) and the /metrics part of item 7.
 * The app trusts the loopback proxy (TRUST_PROXY=loopback): the test process plays the proxy,
 * appending the "real" client address to X-Forwarded-For after whatever the client sent.
 */
const PRICES_PER_IP = 4;
const USER_PER_IP = 5;
const USER_PER_USER = 3;

describe('security: WebSocket limits and the client address', () => {
  const suite = useAppSuite({
    TRUST_PROXY: 'loopback',
    WS_MAX_CONNECTIONS_PER_IP: String(PRICES_PER_IP),
    WS_USER_MAX_CONNECTIONS_PER_IP: String(USER_PER_IP),
    WS_USER_MAX_CONNECTIONS_PER_USER: String(USER_PER_USER),
    WS_AUTH_TIMEOUT_MS: '1000',
    // The heartbeat (which also re-checks tokens) never runs during the suite: a socket closed
    // after its session ended was closed by the revocation itself.
    WS_HEARTBEAT_MS: '600000',
  });
  const sockets: TestSocket[] = [];
  let ipCounter = 0;
  /** A client address of its own per test, so the per-IP caps of one test never touch another's. */
  const freshIp = (): string => `198.51.100.${++ipCounter}`;
  /** Headers a loopback proxy would send for `realIp`, after a client-chosen (spoofed) X-Forwarded-For. */
  const viaProxy = (realIp: string, spoofed = `10.${ipCounter}.${sockets.length}.${Math.floor(Math.random() * 250)}`) => ({
    'X-Forwarded-For': `${spoofed}, ${realIp}`,
  });
  const open = async (path: string, headers: Record<string, string> = {}, url = suite.app.url): Promise<TestSocket> => {
    const s = await TestSocket.open(wsUrl(url, path), { headers });
    sockets.push(s);
    return s;
  };
  const refused = async (path: string, headers: Record<string, string>): Promise<number | undefined> => {
    try {
      sockets.push(await TestSocket.open(wsUrl(suite.app.url, path), { headers }));
      return undefined;
    } catch (e) {
      return (e as { status?: number }).status;
    }
  };

  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  describe('/ws/prices', () => {
    it('counts a client behind the trusted proxy by its real address: a spoofed leftmost X-Forwarded-For cannot exceed the per-IP cap', async () => {
      const attacker = freshIp();
      for (let i = 0; i < PRICES_PER_IP; i++) {
        const s = await open('/ws/prices', viaProxy(attacker, `10.0.0.${i + 1}`));
        await s.next((m) => m.type === 'connection');
      }
      // Every further socket claims yet another leftmost address: still the same client.
      for (let i = 0; i < 3; i++) expect(await refused('/ws/prices', viaProxy(attacker, `10.0.1.${i + 1}`))).toBe(429);
      // Another real client is not affected.
      const other = await open('/ws/prices', viaProxy(freshIp()));
      await other.next((m) => m.type === 'connection');
    });
  });

  describe('/ws/user', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await createUser(suite.app, suite.mail);
    });

    it('caps the sockets one address may open, authenticated or not', async () => {
      const ip = freshIp();
      for (let i = 0; i < USER_PER_IP; i++) {
        const s = await open('/ws/user', viaProxy(ip));
        await s.next((m) => m.type === 'connection' && m.status === 'awaiting_auth');
      }
      expect(await refused('/ws/user', viaProxy(ip))).toBe(429);
      // A spoofed leftmost entry does not help.
      expect(await refused('/ws/user', viaProxy(ip, '192.0.2.77'))).toBe(429);
      const other = await open('/ws/user', viaProxy(freshIp()));
      await other.next((m) => m.type === 'connection');
    });

    it('caps the sockets of one user across addresses: the one over the cap is closed with TOO_MANY_CONNECTIONS', async () => {
      const mine: TestSocket[] = [];
      for (let i = 0; i < USER_PER_USER; i++) {
        const s = await open('/ws/user', { ...viaProxy(freshIp()), Authorization: `Bearer ${user.accessToken}` });
        await s.next((m) => m.type === 'authenticated');
        mine.push(s);
      }
      // Over the cap, whether the token comes with the handshake or in an auth message.
      const byHeader = await open('/ws/user', { ...viaProxy(freshIp()), Authorization: `Bearer ${user.accessToken}` });
      expect(await byHeader.next((m) => m.type === 'error')).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
      expect(await byHeader.waitClosed()).toEqual({ code: 4429, reason: 'TOO_MANY_CONNECTIONS' });
      const byMessage = await open('/ws/user', viaProxy(freshIp()));
      await byMessage.next((m) => m.type === 'connection');
      byMessage.send({ type: 'auth', token: user.accessToken });
      expect(await byMessage.next((m) => m.type === 'error')).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
      expect((await byMessage.waitClosed()).code).toBe(4429);
      // The user's first sockets are untouched, and a slot frees when one closes.
      for (const s of mine) expect(s.closed).toBeUndefined();
      expect((await mine[0].ask({ type: 'ping' }, 'pong')).type).toBe('pong');
      mine[0].close();
      await mine[0].waitClosed();
      await new Promise((r) => setTimeout(r, 200));
      const again = await open('/ws/user', { ...viaProxy(freshIp()), Authorization: `Bearer ${user.accessToken}` });
      await again.next((m) => m.type === 'authenticated');
    });

    it('closes a socket that has not authenticated within WS_AUTH_TIMEOUT_MS', async () => {
      const s = await open('/ws/user', viaProxy(freshIp()));
      await s.next((m) => m.type === 'connection' && m.status === 'awaiting_auth');
      // The suite sets 1 s (default 5 s); a generous bound, not a duration assertion.
      expect(await s.waitClosed(4_000)).toEqual({ code: 4401, reason: 'AUTH_TIMEOUT' });
      expect(s.messages.map((m) => m.msg)).toContainEqual(expect.objectContaining({ type: 'error', code: 'AUTH_TIMEOUT' }));
    });

    it('refuses a cookie-authenticated handshake from an origin off the CORS allow-list, and accepts the app’s own', async () => {
      const cookie = `access_token=${user.accessToken}`;
      expect(await refused('/ws/user', { ...viaProxy(freshIp()), Cookie: cookie, Origin: 'https://evil.example' })).toBe(403);
      expect(await refused('/ws/user', { ...viaProxy(freshIp()), Cookie: cookie, Origin: 'null' })).toBe(403);
      const own = await open('/ws/user', { ...viaProxy(freshIp()), Cookie: cookie, Origin: new URL(suite.app.url).origin });
      expect(await own.next((m) => m.type === 'authenticated')).toMatchObject({ userId: user.id });
      // A token the page had to know (auth message) is not a cross-site risk: any origin may use it.
      const explicit = await open('/ws/user', { ...viaProxy(freshIp()), Origin: 'https://other.example' });
      expect(await explicit.ask({ type: 'auth', token: user.accessToken }, 'authenticated')).toMatchObject({ userId: user.id });
    });

    it('closes the socket of a session as soon as it signs out, on this instance and on another', async () => {
      const second = await startApp({ ...suite.app.env, PORT: '' });
      try {
        const victim = await createUser(suite.app, suite.mail);
        const here = await openUserSocket(suite.app.url, victim.accessToken);
        sockets.push(here);
        const there = await openUserSocket(second.url, victim.accessToken);
        sockets.push(there);
        expect((await request(suite.app.url).post('/api/auth/logout').set(victim.auth)).status).toBe(200);
        expect(await here.waitClosed(8_000)).toEqual({ code: 4401, reason: 'TOKEN_REVOKED' });
        expect(await there.waitClosed(8_000)).toEqual({ code: 4401, reason: 'TOKEN_REVOKED' });
      } finally {
        await second.stop();
      }
    });

    it('closes the sockets of the other sessions when the password changes, and keeps the changing session’s', async () => {
      const victim = await createUser(suite.app, suite.mail);
      const other = await request(suite.app.url).post('/api/auth/login').send({ email: victim.email, password: victim.password });
      expect(other.status).toBe(200);
      const thief = await openUserSocket(suite.app.url, other.body.accessToken as string);
      sockets.push(thief);
      const owner = await openUserSocket(suite.app.url, victim.accessToken);
      sockets.push(owner);
      await stepUp(suite.app, victim);
      const changed = await request(suite.app.url)
        .post('/api/auth/change-password')
        .set(victim.auth)
        .send({ newPassword: `${victim.password}-New!7` });
      expect(changed.status).toBe(200);
      expect(await thief.waitClosed(8_000)).toEqual({ code: 4401, reason: 'TOKEN_REVOKED' });
      expect((await owner.ask({ type: 'ping' }, 'pong')).type).toBe('pong');
      expect(owner.closed).toBeUndefined();
    });
  });

  describe('/metrics without METRICS_TOKEN', () => {
    it('decides "loopback" from the socket alone: X-Forwarded-For: 127.0.0.1 does not make a forwarded caller internal', async () => {
      // TRUST_PROXY is set: the resolved client address (req.ip) is 127.0.0.1 here, which used to open /metrics.
      for (const xff of ['127.0.0.1', '127.0.0.1, 127.0.0.1', '::1']) {
        const res = await request(suite.app.url).get('/metrics').set('X-Forwarded-For', xff);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      // A forwarded outside caller is refused too; a direct loopback caller (a local scraper) is served.
      expect((await request(suite.app.url).get('/metrics').set('X-Forwarded-For', '203.0.113.9')).status).toBe(403);
      const local = await request(suite.app.url).get('/metrics');
      expect(local.status).toBe(200);
      expect(local.text).toContain('cryptovault_ws_connections');
    });
  });
});
