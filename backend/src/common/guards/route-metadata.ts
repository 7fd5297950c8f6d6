import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

const ABSENT = Symbol('absent');
/** metadata key → controller class → handler → value (ABSENT when neither declares it). */
const caches = new Map<string, WeakMap<object, WeakMap<object, unknown>>>();

/**
 * `reflector.getAllAndOverride(key, [handler, class])`, looked up once per
 * route and then read from a cache. Decorator metadata is fixed once the
 * classes are defined, so the global guards need not walk it on every request.
 */
export function routeMetadata<T>(reflector: Reflector, key: string, context: ExecutionContext): T | undefined {
  const handler = context.getHandler();
  const cls = context.getClass();
  let byClass = caches.get(key);
  if (!byClass) caches.set(key, (byClass = new WeakMap()));
  let byHandler = byClass.get(cls);
  if (!byHandler) byClass.set(cls, (byHandler = new WeakMap()));
  let value = byHandler.get(handler);
  if (value === undefined) {
    value = reflector.getAllAndOverride<T>(key, [handler, cls]) ?? ABSENT;
    byHandler.set(handler, value);
  }
  return value === ABSENT ? undefined : (value as T);
}
