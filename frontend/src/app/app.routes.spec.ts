import { Route, Routes } from '@angular/router';
import { routes } from './app.routes';

/** What a route's loadChildren resolves to (a default export, a Routes array or a module-less promise of one). */
async function childrenOf(route: Route): Promise<Routes> {
  const loaded = (await (route.loadChildren as () => Promise<unknown>)()) as
    Routes | { default: Routes };
  return Array.isArray(loaded) ? loaded : loaded.default;
}

const describeRoute = (r: Route) => `"${r.path}" (${Object.keys(r).join(', ')})`;

/** Routes that load with the bundle that declares them: a `component`, or no lazy loader at all. */
async function eagerRoutes(list: Routes, prefix = ''): Promise<string[]> {
  const eager: string[] = [];
  for (const route of list) {
    if (route.redirectTo !== undefined) continue;
    const where = `${prefix}${describeRoute(route)}`;
    if (route.component || (!route.loadChildren && !route.loadComponent && !route.children))
      eager.push(where);
    if (route.children) eager.push(...(await eagerRoutes(route.children, `${where} > `)));
    if (route.loadChildren)
      eager.push(...(await eagerRoutes(await childrenOf(route), `${where} > `)));
  }
  return eager;
}

describe('app routes', () => {
  it('load every feature lazily, so the initial bundle holds only the shell', async () => {
    expect(await eagerRoutes(routes)).toEqual([]);
  });

  it('are checked for eager components at any depth', async () => {
    const Page = class {};
    expect(
      await eagerRoutes([
        {
          path: 'x',
          loadComponent: () => Promise.resolve(Page),
          children: [{ path: 'y', component: Page }],
        },
      ]),
    ).toEqual(['"x" (path, loadComponent, children) > "y" (path, component)']);
  });
});
