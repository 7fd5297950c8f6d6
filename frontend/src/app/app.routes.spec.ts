import { Route, Routes } from '@angular/router';
import { routes } from './app.routes';

/** What a route's loadChildren resolves to (a default export, a Routes array or a module-less promise of one). */
async function childrenOf(route: Route): Promise<Routes> {
  const loaded = (await (route.loadChildren as () => Promise<unknown>)()) as Routes | { default: Routes };
  return Array.isArray(loaded) ? loaded : loaded.default;
}

const describeRoute = (r: Route) => `"${r.path}" (${Object.keys(r).join(', ')})`;

describe('app routes', () => {
  it('load every feature lazily, so the initial bundle holds only the shell', async () => {
    const eager: string[] = [];
    for (const route of routes) {
      if (route.redirectTo !== undefined) continue;
      if (route.component || route.children || (!route.loadChildren && !route.loadComponent)) {
        eager.push(describeRoute(route));
        continue;
      }
      if (!route.loadChildren) continue;
      for (const child of await childrenOf(route)) {
        if (child.redirectTo === undefined && (child.component || !(child.loadComponent || child.loadChildren))) eager.push(`${route.path}/${describeRoute(child)}`);
      }
    }
    expect(eager).toEqual([]);
  });
});
