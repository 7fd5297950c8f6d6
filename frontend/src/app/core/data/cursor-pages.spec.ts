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
});
