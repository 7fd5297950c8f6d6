import type { HttpInterceptorFn } from '@angular/common/http';
import { REQUEST_CONTEXT, inject } from '@angular/core';
import { tap } from 'rxjs';

/** What the backend hands a server render (server.ts `render`): where the API is, from the server's own side. */
export interface ServerRenderContext {
  /** The backend's own origin as the rendering process reaches it (loopback): `http://127.0.0.1:3000`. */
  apiOrigin: string;
  /** Headers every API call of the render carries (the visitor's address for the backend's rate limits). */
  headers?: Record<string, string>;
  /** Counted here: the render's API calls that failed (the backend then sends the client's own page instead). */
  failures?: number;
}

/**
 * While the server renders a page, the SDK's same-origin calls (`/api/...`) carry the headers the backend gave the
 * render (REQUEST_CONTEXT), and the failed ones are counted for it. They go to the page's own origin, which is the
 * backend's loopback address (server.ts), as Angular resolves a relative URL on the server — after this interceptor
 * and after the transfer cache, which so keys a response by the same relative URL the browser asks for. In the
 * browser there is no request context and this passes every call through untouched.
 */
export const serverRenderInterceptor: HttpInterceptorFn = (req, next) => {
  const context = inject(REQUEST_CONTEXT, { optional: true }) as ServerRenderContext | null;
  if (!context?.apiOrigin || !req.url.startsWith('/') || req.url.startsWith('//')) return next(req);
  return next(req.clone({ setHeaders: context.headers ?? {} })).pipe(
    tap({ error: () => (context.failures = (context.failures ?? 0) + 1) }),
  );
};
