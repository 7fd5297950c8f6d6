import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type InstrumentationBase } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import * as Sentry from '@sentry/node';
import type { ServerResponse } from 'node:http';
import { installObservabilityHooks, type BundledModules, type ObservabilityHooks } from './hooks';
import type { ObservabilityConfigValues } from './observability-config';
import { KEPT_HEADERS, scrubEvent, scrubValue } from './scrub';

/** The attribute every span of a request carries: the request id of its log lines and its error answer. */
export const REQUEST_ID_ATTRIBUTE = 'request.id';

/**
 * Error tracking (Sentry) and traces (OpenTelemetry, OTLP/HTTP), each when its setting is given. Runs in main.js
 * before the server's bundle is loaded, so Node's own modules (http) and the packages left outside the bundle (pg)
 * are instrumented as they are first required; the bundle hands over its own Express and ioredis when it starts
 * (bridge.ts). Loaded only when one of the two is on: otherwise none of these packages is ever read.
 */
export function startObservability(config: ObservabilityConfigValues, version: string): void {
  const hooks: ObservabilityHooks = {};
  const flushes: (() => Promise<unknown>)[] = [];
  if (config.sentryDsn) flushes.push(startErrorTracking(config, hooks));
  if (config.otlpEndpoint) flushes.push(startTracing(config, version, hooks));
  installObservabilityHooks(hooks);
  // What is still buffered leaves while the server drains (common/lifecycle/graceful-shutdown), not lost at exit.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      for (const flush of flushes) flush().catch(() => undefined);
    });
  }
}

/** Integrations left out: console output as breadcrumbs, local variables and source lines in frames (personal data), process-wide extras. */
const LEFT_OUT = new Set(['Console', 'LocalVariables', 'LocalVariablesAsync', 'ContextLines', 'ChildProcess', 'ProcessSession', 'Modules']);

function startErrorTracking(config: ObservabilityConfigValues, hooks: ObservabilityHooks): () => Promise<unknown> {
  const otlpEndpoint = config.otlpEndpoint?.replace(/\/+$/, '');
  Sentry.init({
    dsn: config.sentryDsn,
    release: config.sentryRelease,
    environment: config.sentryEnvironment,
    // Collected only as far as scrubEvent keeps it anyway: no user, cookies, bodies or query strings; a few headers.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { allow: KEPT_HEADERS }, response: false },
      httpBodies: [],
      urlQueryParams: false,
      genAI: { inputs: false, outputs: false },
    },
    // Errors only: no Sentry tracing (no tracesSampleRate), no tracer provider of Sentry's (traces are OpenTelemetry's,
    // below: in @sentry/node 11 this is what skipOpenTelemetrySetup was), no load-time rewriting of modules.
    enableOpenTelemetrySetup: false,
    enableRuntimeChannelInjection: false,
    integrations: (defaults) => defaults.filter((i) => !LEFT_OUT.has(i.name)),
    beforeSend: (event) => scrubEvent(event),
    // Spans leaving for the collector are not what led to an error.
    beforeBreadcrumb: (breadcrumb) =>
      otlpEndpoint && String(breadcrumb.data?.url ?? '').startsWith(otlpEndpoint) ? null : (scrubValue(breadcrumb) as Sentry.Breadcrumb),
  });
  hooks.captureUnexpected = (error, requestId) => {
    Sentry.captureException(error, { tags: { request_id: requestId } });
  };
  return () => Sentry.flush(2_000);
}

/** Stamps the request id on every span started while a request is served (the server span gets it when it ends). */
class RequestIdSpanProcessor implements SpanProcessor {
  constructor(private readonly hooks: ObservabilityHooks) {}

  onStart(span: Span): void {
    const id = this.hooks.requestId?.();
    if (id) span.setAttribute(REQUEST_ID_ATTRIBUTE, id);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function startTracing(config: ObservabilityConfigValues, version: string, hooks: ObservabilityHooks): () => Promise<unknown> {
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version, 'deployment.environment.name': config.sentryEnvironment }),
      ),
    spanProcessors: [
      new RequestIdSpanProcessor(hooks),
      // OTLP/HTTP with JSON bodies; OTEL_EXPORTER_OTLP_HEADERS (e.g. a collector's API key) and OTEL_BSP_* are read by the SDK.
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${(config.otlpEndpoint as string).replace(/\/+$/, '')}/v1/traces` })),
    ],
  });
  // The W3C trace-context propagator and an AsyncLocalStorage context manager.
  provider.register();

  // Work that no request started (price ticks, schedules, the payout worker) makes no trace of its own.
  const sentryHost = config.sentryDsn ? new URL(config.sentryDsn).host : undefined;
  const http = new HttpInstrumentation({
    requireParentforOutgoingSpans: true,
    // Reporting an error is not part of the request's work.
    ignoreOutgoingRequestHook: (request) => sentryHost !== undefined && `${request.hostname ?? request.host}:${request.port}`.startsWith(sentryHost),
    // The request id is decided after the server span starts (httpEdge: the caller's X-Request-Id or a new one).
    applyCustomAttributesOnSpan: (span, _request, response) => {
      const id = (response as ServerResponse).getHeader?.('x-request-id');
      if (typeof id === 'string') span.setAttribute(REQUEST_ID_ATTRIBUTE, id);
    },
  });
  // Route handlers only: the middleware layers (the edge, body parsers) would be a span each for no insight.
  const express = new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] });
  const ioredis = new IORedisInstrumentation({ requireParentSpan: true });
  registerInstrumentations({ instrumentations: [http, express, new PgInstrumentation({ requireParentSpan: true }), ioredis] });

  hooks.instrumentBundled = (modules: BundledModules) => {
    patchInPlace(express, 'express', modules.express);
    patchInPlace(ioredis, 'ioredis', modules.ioredis);
  };
  return () => provider.forceFlush();
}

/**
 * Applies an instrumentation's patch to a package's exports directly: what its require hook does when Node loads
 * the package, for the copy inside the bundle, which Node never loads as a package.
 */
function patchInPlace(instrumentation: InstrumentationBase, name: string, exports: unknown): void {
  const definition = instrumentation.getModuleDefinitions().find((d) => d.name === name);
  if (!definition?.patch) throw new Error(`observability: the ${name} instrumentation has no patch for ${name}`);
  definition.moduleExports = definition.patch(exports);
}
