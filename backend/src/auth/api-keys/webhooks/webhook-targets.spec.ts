import {
  type AddressClass,
  type AddressResolver,
  classifyAddress,
  resolverLookup,
  resolveWebhookTarget,
  systemLookup,
  targetLookup,
  webhookUrlProblem,
  WebhookTargetError,
} from './webhook-targets';

describe('webhook targets: the address classifier', () => {
  const cases: [string, AddressClass][] = [
    // IPv4
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['172.32.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['203.0.113.7', 'reserved'],
    // IPv6
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv4 inside IPv6: what the IPv4 address is.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:808:808::1', 'public'],
    // Not an address, or one with a zone: never sent to.
    ['fe80::1%eth0', 'reserved'],
    ['localhost', 'reserved'],
  ];
  it.each(cases)('classifies %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('webhook targets: URLs and their resolution', () => {
  it('takes http(s) URLs of up to 2048 characters and refuses the rest in plain words (https only in production)', () => {
    expect(webhookUrlProblem('https://bot.example.com/hooks?x=1', true)).toBeUndefined();
    expect(webhookUrlProblem('http://bot.example.com/hooks', false)).toBeUndefined();
    expect(webhookUrlProblem('http://bot.example.com/hooks', true)).toBe('Enter a URL starting with https://');
    expect(webhookUrlProblem('ftp://bot.example.com/', false)).toBe('Enter a URL starting with https:// or http://');
    expect(webhookUrlProblem('file:///etc/passwd', false)).toBe('Enter a URL starting with https:// or http://');
    expect(webhookUrlProblem('not a url', false)).toBe('Enter a URL starting with https:// or http://');
    expect(webhookUrlProblem('https://user:pw@bot.example.com/', true)).toBe('Leave the user name and password out of the URL: check the signature instead');
    expect(webhookUrlProblem(`https://bot.example.com/${'a'.repeat(2048)}`, true)).toBe('Enter a URL of at most 2048 characters');
    // Short as typed, too long as stored: the href percent-encodes each 'é' into 6 characters.
    expect(webhookUrlProblem(`https://bot.example.com/${'é'.repeat(2000)}`, true)).toBe('Enter a URL of at most 2048 characters');
    expect(webhookUrlProblem(`https://bot.example.com/${'é'.repeat(300)}`, true)).toBeUndefined();
  });

  const lookupOf =
    (answers: Record<string, string[]>) =>
    async (host: string): Promise<{ address: string; family: number }[]> => {
      const list = answers[host];
      if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };

  it('resolves a host to every address and refuses it when any one is not public, also in the forms WHATWG URLs normalise to', async () => {
    const lookup = lookupOf({
      'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
      'metadata.example.com': ['169.254.169.254'],
      'inside.example.com': ['fd00::5'],
    });
    await expect(resolveWebhookTarget(new URL('https://hooks.example.com/x'), false, lookup)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    for (const url of [
      'https://rebind.example.com/',
      'https://metadata.example.com/',
      'https://inside.example.com/',
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1/', // and in hex
      'http://10.0.0.8/',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const refused = await resolveWebhookTarget(new URL(url), false, lookup).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WebhookTargetError);
      expect((refused as WebhookTargetError).kind).toBe('address_not_allowed');
    }
    for (const url of ['http://localhost:9/', 'http://LOCALHOST./', 'http://api.localhost/']) {
      const refused = await resolveWebhookTarget(new URL(url), false, lookup).catch((e: unknown) => e);
      expect(refused).toMatchObject({ kind: 'address_not_allowed', addressClass: 'loopback' });
    }
    const unknown = await resolveWebhookTarget(new URL('https://nowhere.example.com/'), false, lookup).catch((e: unknown) => e);
    expect((unknown as WebhookTargetError).kind).toBe('dns_failed');
  });

  it('lets tests reach loopback receivers with WEBHOOK_ALLOW_PRIVATE_TARGETS', async () => {
    await expect(resolveWebhookTarget(new URL('http://127.0.0.1:9/'), true, systemLookup)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolveWebhookTarget(new URL('http://[::1]:9/'), true, systemLookup)).resolves.toEqual({ address: '::1', family: 6 });
  });

  it('counts a lookup that hangs as one that failed', async () => {
    const never = () => new Promise<never>(() => undefined);
    const refused = await resolveWebhookTarget(new URL('https://slow.example.com/'), false, never, 50).catch((e: unknown) => e);
    expect((refused as WebhookTargetError).kind).toBe('dns_failed');
  });

  it('resolves through DNS (c-ares) in production and through the system resolver only when private targets are allowed', () => {
    expect(targetLookup(true)).toBe(systemLookup);
    expect(targetLookup(false)).not.toBe(systemLookup);
    expect(targetLookup(false)).toBe(targetLookup(false)); // one per instance: its cap holds across callers
  });

  /** A resolver whose answers come when the test says so, counting the queries under way. */
  function heldResolver(answers: Record<string, { a?: string[]; aaaa?: string[] }>) {
    const held: (() => void)[] = [];
    let open = 0;
    let most = 0;
    const query = (kind: 'a' | 'aaaa') => (host: string) =>
      new Promise<string[]>((resolve, reject) => {
        open++;
        most = Math.max(most, open);
        held.push(() => {
          open--;
          const list = answers[host]?.[kind];
          if (list) resolve(list);
          else reject(Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
        });
      });
    const resolver = { resolve4: query('a'), resolve6: query('aaaa') } as unknown as AddressResolver;
    return { resolver, held, most: () => most, release: () => held.splice(0).forEach((answer) => answer()) };
  }

  it('asks A and AAAA together, takes every address either answers, and fails only when neither has one', async () => {
    const r = heldResolver({ 'both.example.com': { a: ['93.184.216.34'], aaaa: ['2606:2800:220:1::1'] }, 'v6.example.com': { aaaa: ['2606:2800:220:1::1'] } });
    const lookup = resolverLookup(r.resolver, 2);
    const both = lookup('both.example.com');
    const v6 = lookup('v6.example.com');
    const none = lookup('none.example.com').catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    r.release();
    await new Promise((resolve) => setImmediate(resolve));
    r.release();
    expect(await both).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    expect(await v6).toEqual([{ address: '2606:2800:220:1::1', family: 6 }]);
    expect(((await none) as { code: string }).code).toBe('ENOTFOUND');
  });

  it('resolves at most 2 names at once per instance: a hostile slow nameserver holds two slots, never more', async () => {
    const r = heldResolver({ 'a.example.com': { a: ['93.184.216.34'] } });
    const lookup = resolverLookup(r.resolver, 2);
    const pending = Array.from({ length: 6 }, () => lookup('a.example.com'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.held).toHaveLength(4); // two names, A and AAAA each
    for (let i = 0; i < 3; i++) {
      r.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    expect(r.most()).toBe(4);
    // A lookup that waits its turn past the deadline fails like one that hangs.
    const stuck = resolverLookup(heldResolver({}).resolver, 2);
    void stuck('x.example.com');
    void stuck('y.example.com');
    const refused = await resolveWebhookTarget(new URL('https://z.example.com/'), false, stuck, 50).catch((e: unknown) => e);
    expect((refused as WebhookTargetError).kind).toBe('dns_failed');
  });
});
