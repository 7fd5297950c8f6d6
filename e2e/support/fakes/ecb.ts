import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A local European Central Bank reference-rates server: `GET /stats/eurofxref/eurofxref-daily.xml`
 * answers the daily euro foreign exchange reference rates in the ECB's own XML (GESMES envelope,
 * nested `Cube` elements, single-quoted attributes, `text/xml`), as https://www.ecb.europa.eu does.
 *
 *   const ecb = await new FakeEcb().start();
 *   startApp(suiteEnv(db.url, { FX_SOURCE: 'ecb', FX_SOURCE_URL: ecb.url, FX_REFRESH_MS: '1000', FX_RETRY_MS: '200' }));
 *   ecb.setDay('2026-12-02', { USD: '1.0512', JPY: '158.10', GBP: '0.8301' });
 *   ecb.setFailure(500); ecb.setFailure('malformed'); ecb.setFailure('none');
 *   ecb.serveRaw('<html>…</html>');
 *   ecb.requests.length;
 */
export type EcbFailure =
  | 'none'
  /** 200 text/xml cut off mid-document. */
  | 'malformed'
  /** 200 with a well-formed document that is not the reference rates (an HTML error page). */
  | 'wrong-document'
  | 500
  | 503
  | 404;

export interface EcbRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** What the fake answered. */
  answered: number;
}

export const ECB_DAILY_PATH = '/stats/eurofxref/eurofxref-daily.xml';

/** The daily document for `date` with these per-euro rates, in the ECB's layout. */
export function ecbDailyXml(date: string, rates: Record<string, string>): string {
  const cubes = Object.entries(rates)
    .map(([currency, rate]) => `\t\t\t<Cube currency='${currency}' rate='${rate}'/>`)
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">',
    '\t<gesmes:subject>Reference rates</gesmes:subject>',
    '\t<gesmes:Sender>',
    '\t\t<gesmes:name>European Central Bank</gesmes:name>',
    '\t</gesmes:Sender>',
    '\t<Cube>',
    `\t\t<Cube time='${date}'>`,
    cubes,
    '\t\t</Cube>',
    '\t</Cube>',
    '</gesmes:Envelope>',
    '',
  ].join('\n');
}

export class FakeEcb {
  readonly requests: EcbRequest[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private document = ecbDailyXml('2026-12-02', { USD: '1.0512', JPY: '158.10', GBP: '0.8301' });
  private failure: EcbFailure = 'none';
  private port = 0;

  /** The URL to pass as FX_SOURCE_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${ECB_DAILY_PATH}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Publishes a day: the document served from now on (clears any failure). */
  setDay(date: string, rates: Record<string, string>): void {
    this.serveRaw(ecbDailyXml(date, rates));
  }

  /** Serves exactly this text as the document, with 200 and text/xml (clears any failure). */
  serveRaw(xml: string): void {
    this.document = xml;
    this.failure = 'none';
  }

  setFailure(failure: EcbFailure): void {
    this.failure = failure;
  }

  /** Requests of the daily document so far. */
  get fetches(): number {
    return this.requests.filter((r) => r.path === ECB_DAILY_PATH).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const answer = (status: number, body: string, type = 'text/xml'): void => {
      this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, answered: status });
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method !== 'GET' || path !== ECB_DAILY_PATH) return answer(404, '<html><body>Not Found</body></html>', 'text/html');
    const failure = this.failure;
    if (failure === 'malformed') return answer(200, this.document.slice(0, Math.floor(this.document.length / 2)));
    if (failure === 'wrong-document') return answer(200, '<!DOCTYPE html><html><body>Maintenance</body></html>', 'text/html');
    if (typeof failure === 'number') return answer(failure, `<html><body>Error ${failure}</body></html>`, 'text/html');
    answer(200, this.document);
  }
}
