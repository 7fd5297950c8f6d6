/**
 * How the bundled server (observability/bridge.ts) and the error tracking and tracing started before it
 * (observability/setup.ts, loaded by main.js from node_modules) meet: one object on `globalThis`, under a registered
 * symbol, so the two copies of this file (one in the bundle, one beside main.js) name the same slot. Absent when
 * neither SENTRY_DSN nor OTEL_EXPORTER_OTLP_ENDPOINT is set: then the server does nothing more than read it.
 */
export const OBSERVABILITY_HOOKS = Symbol.for('cryptovault.observability');

/** Packages the bundle holds its own copy of: require hooks never see them load, so they are instrumented in place. */
export interface BundledModules {
  express: unknown;
  ioredis: unknown;
}

export interface ObservabilityHooks {
  /** Tracing: patches the bundle's copies of these packages, before the server uses them. */
  instrumentBundled?(modules: BundledModules): void;
  /** Tracing: the request id of the request being served (the server's request context), for every span. */
  requestId?: () => string | undefined;
  /** Error tracking: reports an error the error filter answered 500 for. */
  captureUnexpected?(error: unknown, requestId: string): void;
}

export function observabilityHooks(): ObservabilityHooks | undefined {
  return (globalThis as { [OBSERVABILITY_HOOKS]?: ObservabilityHooks })[OBSERVABILITY_HOOKS];
}

export function installObservabilityHooks(hooks: ObservabilityHooks): void {
  (globalThis as { [OBSERVABILITY_HOOKS]?: ObservabilityHooks })[OBSERVABILITY_HOOKS] = hooks;
}
