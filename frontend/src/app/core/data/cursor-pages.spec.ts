import { CursorPages } from './cursor-pages';

describe('CursorPages', () => {
  it('shows the first page, appends the next one on "Load more", and asks for nothing once the list is complete', async () => {
    const asked: (string | undefined)[] = [];
    const pages = new CursorPages<number>(async (cursor) => {
      asked.push(cursor);
      return cursor ? { items: [3, 4], nextCursor: null } : { items: [1, 2], nextCursor: 'c2' };
    });
    await pages.reload();
    expect(pages.items()).toEqual([1, 2]);
    expect(pages.nextCursor()).toBe('c2');
    await pages.more();
    expect(pages.items()).toEqual([1, 2, 3, 4]);
    expect(pages.nextCursor()).toBeNull();
    await pages.more();
    expect(asked).toEqual([undefined, 'c2']);
  });

  it('starts again from the first page on reload (new filters), and is not left loading when a request fails', async () => {
    let fail = false;
    const pages = new CursorPages<string>(async (cursor) => {
      if (fail) throw new Error('offline');
      return { items: [cursor ?? 'first'], nextCursor: cursor ? null : 'next' };
    });
    await pages.reload();
    await pages.more();
    expect(pages.items()).toEqual(['first', 'next']);
    await pages.reload();
    expect(pages.items()).toEqual(['first']);
    fail = true;
    await expect(pages.more()).rejects.toThrow('offline');
    expect(pages.loading()).toBe(false);
    expect(pages.items()).toEqual(['first']);
  });

  /** A fetch whose answers the test releases in any order. */
  function controlled<T>() {
    const waiting: { key: string; resolve: (page: { items: T[]; nextCursor: string | null }) => void; reject: (e: Error) => void }[] = [];
    let filter = 'a';
    const pages = new CursorPages<T>(
      (cursor) =>
        new Promise((resolve, reject) => {
          waiting.push({ key: `${filter}:${cursor ?? 'first'}`, resolve, reject });
        }),
    );
    const answer = (key: string, items: T[], nextCursor: string | null = null) => {
      const i = waiting.findIndex((w) => w.key === key);
      if (i < 0) throw new Error(`nothing asked for ${key}; asked: ${waiting.map((w) => w.key).join(', ')}`);
      waiting.splice(i, 1)[0].resolve({ items, nextCursor });
    };
    const fail = (key: string) => {
      const i = waiting.findIndex((w) => w.key === key);
      waiting.splice(i, 1)[0].reject(new Error('offline'));
    };
    return { pages, answer, fail, asked: () => waiting.map((w) => w.key), setFilter: (f: string) => (filter = f) };
  }

  it('shows the rows of the filters chosen last when the answer for earlier filters comes after theirs', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.setFilter('b');
    const second = c.pages.reload();
    c.answer('b:first', ['b1'], 'b-next');
    await second;
    expect(c.pages.loading()).toBe(false);
    c.answer('a:first', ['a1', 'a2'], 'a-next');
    await first;
    expect(c.pages.items()).toEqual(['b1']);
    expect(c.pages.nextCursor()).toBe('b-next');
    expect(c.pages.loading()).toBe(false);
  });

  it('keeps loading while the latest reload runs, even when an overtaken one ends or fails first', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.setFilter('b');
    const second = c.pages.reload();
    c.fail('a:first');
    await first.catch(() => undefined);
    expect(c.pages.loading()).toBe(true);
    c.answer('b:first', ['b1']);
    await second;
    expect(c.pages.loading()).toBe(false);
    expect(c.pages.items()).toEqual(['b1']);
  });

  it('drops a "Load more" page that arrives after the list started again (its rows belong to the old filters)', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.answer('a:first', ['a1'], 'a-next');
    await first;
    const more = c.pages.more();
    c.setFilter('b');
    const reload = c.pages.reload();
    c.answer('b:first', ['b1'], null);
    await reload;
    c.answer('a:a-next', ['a2'], null);
    await more;
    expect(c.pages.items()).toEqual(['b1']);
    expect(c.pages.nextCursor()).toBeNull();
  });

  it('asks once for the next page when "Load more" is pressed twice before it came (no duplicated rows)', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.answer('a:first', ['a1'], 'a-next');
    await first;
    const one = c.pages.more();
    const two = c.pages.more();
    expect(c.asked()).toEqual(['a:a-next']);
    c.answer('a:a-next', ['a2'], null);
    await Promise.all([one, two]);
    expect(c.pages.items()).toEqual(['a1', 'a2']);
  });

  it('with a key, does not show twice a row the next page repeats (one put first by an action since)', async () => {
    const pages = new CursorPages<{ id: string }>(
      async (cursor) => (cursor ? { items: [{ id: 'new' }, { id: 'r2' }], nextCursor: null } : { items: [{ id: 'r1' }], nextCursor: 'c2' }),
      (row) => row.id,
    );
    await pages.reload();
    pages.items.update((rows) => [{ id: 'new' }, ...rows]);
    await pages.more();
    expect(pages.items().map((r) => r.id)).toEqual(['new', 'r1', 'r2']);
    expect(pages.list()?.length).toBe(3);
  });

  it('tells "not read yet" (null) from "none" (an empty list)', async () => {
    const pages = new CursorPages<string>(async () => ({ items: [], nextCursor: null }));
    expect(pages.list()).toBeNull();
    await pages.reload();
    expect(pages.list()).toEqual([]);
  });

  it('does nothing on "Load more" while the list is read again (its cursor belongs to the list being replaced)', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.answer('a:first', ['a1'], 'a-next');
    await first;
    c.setFilter('b');
    const reload = c.pages.reload();
    await c.pages.more();
    expect(c.asked()).toEqual(['b:first']);
    c.answer('b:first', ['b1'], 'b-next');
    await reload;
    expect(c.pages.items()).toEqual(['b1']);
    expect(c.pages.nextCursor()).toBe('b-next');
  });

  it('pages the list on screen with its own query when a reload for another one failed', async () => {
    const asked: { cursor?: string; query: string }[] = [];
    let fail = false;
    const pages = new CursorPages<string, string>(async (cursor, query) => {
      asked.push({ cursor, query });
      if (fail) throw new Error('400 bad filter');
      return { items: [`${query}:${cursor ?? 'first'}`], nextCursor: cursor ? null : `${query}-next` };
    });
    await pages.reload('old');
    fail = true;
    await expect(pages.reload('bad')).rejects.toThrow('400 bad filter');
    expect(pages.items()).toEqual(['old:first']);
    fail = false;
    await pages.more();
    expect(asked.at(-1)).toEqual({ cursor: 'old-next', query: 'old' });
    expect(pages.items()).toEqual(['old:first', 'old:old-next']);
    // A reload without a query asks the one asked last again.
    await pages.reload();
    expect(asked.at(-1)).toEqual({ cursor: undefined, query: 'bad' });
  });

  it('resolves an overtaken load quietly when it fails (its error is not the page of the later filters)', async () => {
    const c = controlled<string>();
    const first = c.pages.reload();
    c.setFilter('b');
    const second = c.pages.reload();
    c.fail('a:first');
    await expect(first).resolves.toBeUndefined();
    c.answer('b:first', ['b1']);
    await second;
    expect(c.pages.items()).toEqual(['b1']);
  });

  it('shows a row an action put in before the first page came', () => {
    const pages = new CursorPages<string>(() => new Promise(() => undefined));
    void pages.reload();
    expect(pages.list()).toBeNull();
    pages.items.update((rows) => ['just made', ...rows]);
    expect(pages.list()).toEqual(['just made']);
  });

  it('asks again after a change an action made while a reload was on its way (its answer may predate the action)', async () => {
    const c = controlled<{ id: string; status: string }>();
    const first = c.pages.reload();
    c.answer('a:first', [{ id: 'w1', status: 'pending' }]);
    await first;
    const refresh = c.pages.reload();
    // The cancel answered while the refresh was on its way.
    c.pages.patch((rows) => rows.map((r) => (r.id === 'w1' ? { ...r, status: 'cancelled' } : r)));
    expect(c.asked()).toEqual(['a:first', 'a:first']);
    c.answer('a:first', [{ id: 'w1', status: 'pending' }]);
    await refresh;
    expect(c.pages.items()).toEqual([{ id: 'w1', status: 'cancelled' }]);
    c.answer('a:first', [{ id: 'w1', status: 'cancelled' }]);
    await idleTurn();
    expect(c.pages.items()).toEqual([{ id: 'w1', status: 'cancelled' }]);
    expect(c.pages.loading()).toBe(false);
  });
});

const idleTurn = () => new Promise((r) => setTimeout(r, 0));
