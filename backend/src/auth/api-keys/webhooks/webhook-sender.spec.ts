import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../../config/config.service';
import { postPinned, responseSnippet, WebhookSender } from './webhook-sender';
import { verifyWebhookSignature } from './webhook-signature';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('WebhookSender (against a local receiver)', () => {
  let server: Server;
  let port = 0;
  const seen: Seen[] = [];
  let answer: (res: ServerResponse) => void = (res) => res.end('ok');

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    answer = (res) => res.end('ok');
  });

  const sender = (allowPrivateTargets: boolean) => new WebhookSender({ values: { webhooks: { allowPrivateTargets } } } as unknown as AppConfig);
  const request = (path = '/hooks?x=1') => ({ url: `http://127.0.0.1:${port}${path}`, eventId: 'evt-1', body: '{"id":"evt-1"}', secret: 'whsec_test' });

  it('POSTs the body with its event id, a verifiable signature and our user agent, and counts a 2xx as delivered', async () => {
    answer = (res) => res.writeHead(204).end();
    const outcome = await sender(true).send(request());
    expect(outcome).toMatchObject({ delivered: true, statusCode: 204, error: null, snippet: null });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hooks?x=1', body: '{"id":"evt-1"}' });
    expect(seen[0].headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'CryptoVault-Webhooks/1',
      'cryptovault-event-id': 'evt-1',
    });
    expect(verifyWebhookSignature(seen[0].headers['cryptovault-signature'] as string, seen[0].body, 'whsec_test')).toBe(true);
  });

  it('never follows a redirect: a 302 is a failed attempt and the Location is never called', async () => {
    answer = (res) => res.writeHead(302, { Location: `http://127.0.0.1:${port}/elsewhere` }).end();
    const outcome = await sender(true).send(request());
    expect(outcome).toMatchObject({ delivered: false, statusCode: 302, error: null });
    expect(seen.map((s) => s.url)).toEqual(['/hooks?x=1']);
  });

  it('keeps 1 KiB of a long answer and counts a 500 as failed', async () => {
    answer = (res) => res.writeHead(500).end('x'.repeat(50_000));
    const outcome = await sender(true).send(request());
    expect(outcome.delivered).toBe(false);
    expect(outcome.statusCode).toBe(500);
    expect(outcome.snippet).toBe('x'.repeat(1024));
  });

  it('keeps an answer the log can store: no NUL (PostgreSQL text refuses it), nothing for an empty body', async () => {
    answer = (res) => res.writeHead(400).end(Buffer.from('bad\u0000request', 'utf8'));
    expect(await sender(true).send(request())).toMatchObject({ delivered: false, statusCode: 400, snippet: 'badrequest' });
    expect(responseSnippet(Buffer.alloc(0))).toBeNull();
    expect(responseSnippet(Buffer.from([0, 0]))).toBeNull();
  });

  it('gives up on a receiver that does not answer in time, and reports a refused connection', async () => {
    answer = () => undefined; // never answers
    expect(await sender(true).send(request(), 200)).toMatchObject({ delivered: false, statusCode: null, error: 'timeout' });
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const refused = await sender(true).send({ ...request(), url: `http://127.0.0.1:${closed}/` });
    expect(refused).toMatchObject({ delivered: false, statusCode: null, error: 'connection_failed' });
  });

  it('refuses a loopback target unless private targets are allowed, without sending anything', async () => {
    expect(await sender(false).send(request())).toMatchObject({ delivered: false, statusCode: null, error: 'address_not_allowed' });
    expect(seen).toHaveLength(0);
  });

  it('connects to the checked address, never looking the name up again, with the Host of the URL', async () => {
    const res = await postPinned(new URL(`http://hooks.invalid:${port}/pinned`), { address: '127.0.0.1', family: 4 }, {}, '{}', 2_000);
    expect(res.statusCode).toBe(200);
    expect(seen[0]).toMatchObject({ url: '/pinned' });
    expect(seen[0].headers.host).toBe(`hooks.invalid:${port}`);
  });
});
