import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db:5432/cv',
  REDIS_URL: 'redis://:cache-secret@cache:6379',
  JWT_SECRET: 'x'.repeat(40),
  ADMIN_SETUP_TOKEN: 'y'.repeat(24),
  PRICE_SOURCES: 'coingecko',
  PAYMENT_PROVIDER: 'nowpayments',
  NOWPAYMENTS_IPN_SECRET: 'ipn-secret',
  SMTP_URL: 'smtp://mail:587',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
}

describe('webhook configuration', () => {
  it('requires WEBHOOK_SECRET_KEY in production, and takes it as 64 hex digits or base64 of 32 bytes', () => {
    expect(problems(production)).toEqual([
      'WEBHOOK_SECRET_KEY is required in production (openssl rand -base64 32): the webhook signing secrets are stored encrypted under it',
    ]);
    const key = randomBytes(32);
    for (const written of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      expect(loadConfig({ ...production, WEBHOOK_SECRET_KEY: written }).webhooks.secretKey).toEqual(key);
    }
  });

  it('refuses a key of another size without echoing it, in any profile', () => {
    const secret = randomBytes(16).toString('hex');
    const found = problems({ WEBHOOK_SECRET_KEY: secret });
    expect(found).toEqual(['WEBHOOK_SECRET_KEY must be 32 random bytes written as 64 hex digits or in base64 (openssl rand -base64 32)']);
    expect(found.join('\n')).not.toContain(secret);
  });

  it('takes WEBHOOK_DNS_SERVERS as IP addresses with optional ports, in production too, and names what it cannot use', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks.dnsServers).toEqual([]);
    const servers = '9.9.9.9, 149.112.112.112:53,2620:fe::fe, [2620:fe::9]:5353';
    expect(loadConfig({ ...production, WEBHOOK_SECRET_KEY: 'ab'.repeat(32), WEBHOOK_DNS_SERVERS: servers }).webhooks.dnsServers).toEqual([
      '9.9.9.9',
      '149.112.112.112:53',
      '2620:fe::fe',
      '[2620:fe::9]:5353',
    ]);
    // A local resolver, a VPC's and a cloud's link-local one are nameservers; a trailing comma is nothing.
    expect(loadConfig({ WEBHOOK_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.2, 169.254.169.253,' }).webhooks.dnsServers).toEqual([
      '127.0.0.1:5353',
      '10.0.0.2',
      '169.254.169.253',
    ]);
    expect(
      problems({
        WEBHOOK_DNS_SERVERS:
          'dns.quad9.net, 9.9.9.9:0, [9.9.9.9]:53, 9.9.9, 9.9.9.9:53, fe80::1%eth0, 0.0.0.0, [::]:53, 224.0.0.251:5353, 255.255.255.255, ff02::fb, ::ffff:224.0.0.251, 0:0:0:0:0:0:0:0',
      }),
    ).toEqual([
      'WEBHOOK_DNS_SERVERS must be IP addresses, each with an optional port (9.9.9.9, 9.9.9.9:53, [2620:fe::fe]:53), separated by commas, and not unspecified, multicast or broadcast ones (not "dns.quad9.net", "9.9.9.9:0", "[9.9.9.9]:53", "9.9.9", "fe80::1%eth0", "0.0.0.0", "[::]:53", "224.0.0.251:5353", "255.255.255.255", "ff02::fb", "::ffff:224.0.0.251", "0:0:0:0:0:0:0:0")',
    ]);
    const long = `https://doh.example.com/${'a'.repeat(80)}`;
    expect(problems({ WEBHOOK_DNS_SERVERS: `${long}\n` })[0]).toContain(`(not "${long.slice(0, 60)}…")`);
  });

  it('refuses WEBHOOK_ALLOW_PRIVATE_TARGETS in production and takes it in tests and development', () => {
    expect(problems({ ...production, WEBHOOK_SECRET_KEY: 'ab'.repeat(32), WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).toEqual([
      'WEBHOOK_ALLOW_PRIVATE_TARGETS is for tests and development only: refused in production, where webhooks never reach private addresses',
    ]);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.allowPrivateTargets).toBe(true);
    expect(loadConfig({}).webhooks).toEqual({
      secretKey: undefined,
      allowPrivateTargets: false,
      dnsServers: [],
      retryBaseMs: 60_000,
      workerIntervalMs: 2_000,
      pruneIntervalMs: 3_600_000,
      redeliveryCooldownMs: 30_000,
    });
  });
});
