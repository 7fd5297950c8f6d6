import { DestroyRef, Injector } from '@angular/core';
import { FakeWebSocket, installFakeWebSocket } from '../../../testing/fake-websocket';
import { ReconnectingSocket } from './reconnecting-socket';

describe('ReconnectingSocket', () => {
  let injector: Injector & { destroy(): void };
  const messages: string[] = [];

  beforeEach(() => {
    installFakeWebSocket();
    messages.length = 0;
    injector = Injector.create({ providers: [] }) as Injector & { destroy(): void };
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const socket = (closed?: (code: number | undefined) => 'retry' | 'wait') =>
    new ReconnectingSocket('/ws/test', { message: (d) => messages.push(d), closed }, injector.get(DestroyRef));

  /** Drops the newest socket and returns how long until the next one opened (ms, stepped by 500). */
  function dropAndTimeRetry(): number {
    const before = FakeWebSocket.instances.length;
    FakeWebSocket.instances[before - 1].drop();
    let waited = 0;
    while (FakeWebSocket.instances.length === before && waited < 120_000) {
      vi.advanceTimersByTime(500);
      waited += 500;
    }
    return waited;
  }

  it('opens on the page origin, passes messages on, and waits 1, 2, 4 … s between tries, never more than 30 s', () => {
    const s = socket();
    s.start();
    expect(FakeWebSocket.instances[0].url).toBe(`ws://${location.host}/ws/test`);
    FakeWebSocket.instances[0].receive({ hello: 1 });
    expect(messages).toEqual(['{"hello":1}']);
    const waits = Array.from({ length: 7 }, () => dropAndTimeRetry());
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('starts again from 1 s once a connection succeeded', () => {
    const s = socket();
    s.start();
    dropAndTimeRetry();
    dropAndTimeRetry();
    s.succeeded();
    expect(dropAndTimeRetry()).toBe(1_000);
  });

  it('leaves the retry to the caller when it answers wait, and makes none after stop', () => {
    const s = socket(() => 'wait');
    s.start();
    FakeWebSocket.instances[0].drop(4401);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    s.retryLater();
    s.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('closes and never reopens once its injector is destroyed, even when asked to', () => {
    const s = socket();
    s.start();
    injector.destroy();
    expect(FakeWebSocket.instances[0].closed).toBe(true);
    s.start();
    s.retryLater();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(s.active).toBe(false);
  });
});
