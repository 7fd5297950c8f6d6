declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';
  type TrustFn = (addr: string, hop: number) => boolean;
  /** The client address of `req`: the furthest X-Forwarded-For hop reached through trusted proxies only. */
  function proxyaddr(req: IncomingMessage, trust: TrustFn | string | string[]): string;
  namespace proxyaddr {
    function all(req: IncomingMessage, trust?: TrustFn | string | string[]): string[];
    function compile(val: string | string[]): TrustFn;
  }
  export = proxyaddr;
}
