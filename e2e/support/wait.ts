/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A change made to a user's row by SQL (as an operator would) reaches the
 * app's auth cache through a PostgreSQL notification, moments after the
 * commit rather than before the SQL returns: sends the request until it gets
 * `status` and returns that answer.
 */
export async function untilStatus<R extends { status: number }>(send: () => PromiseLike<R>, status: number, what: string): Promise<R> {
  let last: number | undefined;
  return waitFor(
    async () => {
      const res = await send();
      last = res.status;
      return res.status === status ? res : undefined;
    },
    10_000,
    `${what} (answer ${status}; last ${last ?? 'none'})`,
  );
}
