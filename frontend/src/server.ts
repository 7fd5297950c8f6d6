// The server-rendering entry (angular.json "ssr.entry"), loaded by the backend (backend/src/common/middleware/
// server-render.ts), not a server of its own: `render` answers one page request with Angular's app engine.
import { AngularAppEngine } from '@angular/ssr';
import type { ServerRenderContext } from './app/core/http/server-render.interceptor';

// Every URL it is given is on the backend's loopback address (render below): the one host it may render for.
const engine = new AngularAppEngine({ allowedHosts: ['127.0.0.1'] });

/**
 * Renders `path` (path and query of a page request) as the server routes say (app.routes.server.ts): the page's
 * HTML for a server-rendered route, the client's index page for the others; null when the app has no such route.
 * The page's URL is on `context.apiOrigin` (the backend's loopback address), so the API calls made while rendering
 * (relative, as in the browser) go there, never to a host a request named.
 */
export function render(path: string, context: ServerRenderContext): Promise<Response | null> {
  return engine.handle(new Request(new URL(path, context.apiOrigin)), context);
}
