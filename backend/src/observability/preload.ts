import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendRoot } from '../config/backend-root';
import { parseObservabilityConfig } from './observability-config';

/**
 * Run by main.js before it loads the server: starts error tracking and traces (setup.ts) when SENTRY_DSN or
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, early enough for the instrumentations to see Node's http and pg load. With
 * neither set it returns at once and loads nothing: the embedded default and the tests start as they did.
 */
export function startObservabilityIfConfigured(env: NodeJS.ProcessEnv = process.env): void {
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  if (str('SENTRY_DSN') === undefined && str('OTEL_EXPORTER_OTLP_ENDPOINT') === undefined) return;
  const version = (JSON.parse(readFileSync(join(backendRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const problems: string[] = [];
  const config = parseObservabilityConfig(str, str('NODE_ENV') ?? 'development', version, problems);
  // A bad setting: the server's configuration check (config/app-config.ts) refuses to start and says which.
  if (problems.length) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when asked for (see above)
  (require('./setup') as typeof import('./setup')).startObservability(config, version);
}
