import { RenderMode, type ServerRoute } from '@angular/ssr';

/**
 * What the server renders: the public pages a first visit lands on (the markets and a coin), so their first HTML
 * carries the prices instead of an empty page that waits for the app. Everything else is rendered in the browser
 * only (the server sends the client's index page; signed-in pages have nothing to show without the session).
 */
export const serverRoutes: ServerRoute[] = [
  { path: 'markets', renderMode: RenderMode.Server },
  { path: 'coin/:id', renderMode: RenderMode.Server },
  { path: '**', renderMode: RenderMode.Client },
];
