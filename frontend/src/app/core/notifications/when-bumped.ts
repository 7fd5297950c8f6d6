import { Signal, effect, untracked } from '@angular/core';

/**
 * Runs `fn` each time `counter` changes after the call (not for its current
 * value): how feature stores refresh on a UserEventsStore counter. Call it in
 * an injection context (a store's constructor); it stops with that injector.
 */
export function whenBumped(counter: Signal<number>, fn: () => void): void {
  let seen = untracked(counter);
  effect(() => {
    const now = counter();
    if (now === seen) return;
    seen = now;
    untracked(fn);
  });
}
