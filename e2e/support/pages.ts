import request from 'supertest';
import type { RunningApp } from './app';
import type { TestUser } from './factories';

/**
 * Every item of a cursor-paginated list (`{items, nextCursor}`), following
 * `nextCursor` with the same query until it is null; each page must be 200.
 */
export async function allPages<T = { id: string }>(app: RunningApp, user: TestUser, path: string, query: Record<string, string | number> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: request.Response = await request(app.url)
      .get(path)
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set(user.auth)
      .expect(200);
    items.push(...(page.body.items as T[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return items;
}
