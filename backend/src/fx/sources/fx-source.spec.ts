import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EcbHttpSource, FX_MAX_DOCUMENT_BYTES, FxSourceError, SampleSource } from './fx-source';
import { ECB_SAMPLE_XML } from './ecb-sample';

describe('EcbHttpSource', () => {
  let server: Server;
  let url: string;
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end();

  beforeAll(async () => {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/eurofxref-daily.xml`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const load = (): Promise<string> => new EcbHttpSource(url).load(new AbortController().signal);

  it('returns the document text of a 200', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(ECB_SAMPLE_XML);
    await expect(load()).resolves.toBe(ECB_SAMPLE_XML);
  });

  it('refuses another status, an oversized body and bytes that are not UTF-8', async () => {
    answer = (res) => res.writeHead(503).end('busy');
    await expect(load()).rejects.toThrow(new FxSourceError('HTTP 503'));
    answer = (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('x'.repeat(FX_MAX_DOCUMENT_BYTES + 1));
    await expect(load()).rejects.toThrow(/more than 262144/);
    answer = (res) => {
      // Chunked, so no Content-Length announces the size: the cap applies while reading.
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('x'.repeat(FX_MAX_DOCUMENT_BYTES));
      res.end('xx');
    };
    await expect(load()).rejects.toThrow(/more than 262144 bytes/);
    answer = (res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(Buffer.from([0x3c, 0x72, 0xff, 0x2f, 0x3e]));
    await expect(load()).rejects.toThrow('the document is not valid UTF-8');
  });

  it('names the reason when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(new EcbHttpSource(`http://127.0.0.1:${port}/x.xml`).load(new AbortController().signal)).rejects.toThrow(/^request failed: ECONNREFUSED$/);
  });
});

describe('SampleSource', () => {
  it('reads the bundled document without the network', async () => {
    await expect(new SampleSource().load()).resolves.toBe(ECB_SAMPLE_XML);
  });
});
