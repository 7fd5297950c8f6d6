import { MemoryKeyValueStore } from '../../redis/memory-twins';
import { BatchedWindowCounter } from './batched-window-counter';

const noError = (e: Error): void => {
  throw e;
};

async function count(counter: BatchedWindowCounter, key: string, times: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < times; i++) last = (await counter.hit(key, 60_000)).count;
  return last;
}

describe('BatchedWindowCounter', () => {
  it('opens a window in the shared store on the first hit and answers the following hits at once', async () => {
    const store = new MemoryKeyValueStore();
    const counter = new BatchedWindowCounter(store, 1_000, noError);
    const first = counter.hit('k', 60_000);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).count).toBe(1);
    const second = counter.hit('k', 60_000);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ count: 2 });
    expect((second as { resetInMs: number }).resetInMs).toBeGreaterThan(59_000);
  });

  it('counts exactly within one process and pushes the hits to the store in one increment', async () => {
    const store = new MemoryKeyValueStore();
    const counter = new BatchedWindowCounter(store, 1_000, noError);
    expect(await count(counter, 'k', 61)).toBe(61);
    expect(await store.increment('k', 60_000, 0)).toMatchObject({ count: 1 });
    counter.flush();
    await new Promise((r) => setImmediate(r));
    expect(await store.increment('k', 60_000, 0)).toMatchObject({ count: 61 });
  });

  it("sees another instance's hits once both have pushed theirs", async () => {
    const store = new MemoryKeyValueStore();
    const a = new BatchedWindowCounter(store, 1_000, noError);
    const b = new BatchedWindowCounter(store, 1_000, noError);
    await count(a, 'k', 30);
    await count(b, 'k', 30);
    const settle = () => new Promise((r) => setImmediate(r));
    a.flush();
    await settle();
    b.flush();
    await settle();
    // B pushed after A: the store's answer carries A's 30.
    expect((await b.hit('k', 60_000)).count).toBe(61);
    // A knew only B's first hit (which opened B's window in the store before A pushed); it learns
    // of the rest when it next pushes its own, within a flush interval of its next hit.
    expect((await a.hit('k', 60_000)).count).toBe(32);
    a.flush();
    await settle();
    expect((await a.hit('k', 60_000)).count).toBe(62);
  });

  it('pushes pending hits on its own after the flush interval', async () => {
    const store = new MemoryKeyValueStore();
    const counter = new BatchedWindowCounter(store, 20, noError);
    await count(counter, 'k', 10);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.increment('k', 60_000, 0)).toMatchObject({ count: 10 });
  });
});
