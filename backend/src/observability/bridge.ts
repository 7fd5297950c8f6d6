import express from 'express';
import { Redis } from 'ioredis';
import { currentRequestId } from '../common/request-context';
import { observabilityHooks } from './hooks';

/**
 * Called by the server first thing (server.ts), before it creates the Express app or a Redis client: hands the
 * error tracking and tracing that main.js started (observability/setup.ts) the bundle's own Express and ioredis to
 * instrument, and the request context to read request ids from. Does nothing when neither was started.
 */
export function connectObservability(): void {
  const hooks = observabilityHooks();
  if (!hooks) return;
  hooks.requestId = currentRequestId;
  hooks.instrumentBundled?.({ express, ioredis: Redis });
}
