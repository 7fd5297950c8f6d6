/**
 * Error tracking and traces (docs/ARCHITECTURE.md "Observability"): both off unless their setting is given.
 * Parsed by loadConfig with every other setting (one list of problems at boot), and by `startObservability` in
 * main.js, which starts them before the server's code is loaded (observability/preload.ts).
 */
export interface ObservabilityConfigValues {
  /** SENTRY_DSN: where errors are reported (Sentry's DSN, https://<key>@<host>/<project>); unset: not reported. */
  sentryDsn: string | undefined;
  /** SENTRY_ENVIRONMENT: the `environment` of every event (default: the profile, e.g. production). */
  sentryEnvironment: string;
  /** SENTRY_RELEASE: the `release` of every event (default: cryptovault@<the backend's version>). */
  sentryRelease: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP/HTTP collector traces go to (`/v1/traces` is appended); unset: no traces. */
  otlpEndpoint: string | undefined;
  /** OTEL_SERVICE_NAME: the `service.name` of every span (default: cryptovault). */
  serviceName: string;
}

/** Parses the observability settings; problems are added to the boot's one list (see loadConfig). */
export function parseObservabilityConfig(
  str: (name: string) => string | undefined,
  profile: string,
  version: string,
  problems: string[],
): ObservabilityConfigValues {
  const httpUrl = (name: string): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`${name} must use http: or https: (got "${u.protocol}")`);
      else return raw;
    } catch {
      // Not echoed: a DSN carries its project's key.
      problems.push(`${name} is not a valid URL`);
    }
    return undefined;
  };
  const sentryDsn = httpUrl('SENTRY_DSN');
  if (sentryDsn !== undefined) {
    const u = new URL(sentryDsn);
    if (!u.username || !/\/\d+$/.test(u.pathname)) problems.push('SENTRY_DSN must be a Sentry DSN: https://<public key>@<host>/<project id>');
  }
  return {
    sentryDsn,
    sentryEnvironment: str('SENTRY_ENVIRONMENT') ?? profile,
    sentryRelease: str('SENTRY_RELEASE') ?? `cryptovault@${version}`,
    otlpEndpoint: httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT'),
    serviceName: str('OTEL_SERVICE_NAME') ?? 'cryptovault',
  };
}
