import { loadConfig } from '../config/app-config';
import { observabilityHooks } from './hooks';
import { startObservabilityIfConfigured } from './preload';

describe('observability settings', () => {
  it('leaves error tracking and traces off by default, tagged with the profile and the version when on', () => {
    expect(loadConfig({ NODE_ENV: 'test' }, '1.2.3').observability).toEqual({
      sentryDsn: undefined,
      sentryEnvironment: 'test',
      sentryRelease: 'cryptovault@1.2.3',
      otlpEndpoint: undefined,
      serviceName: 'cryptovault',
    });
    const on = loadConfig({
      NODE_ENV: 'test',
      SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/42',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
    }).observability;
    expect(on).toMatchObject({ sentryDsn: 'https://abc123@o1.ingest.sentry.io/42', otlpEndpoint: 'http://otel:4318' });
  });

  it('refuses a DSN that is not one and an endpoint that is not http(s), without echoing the DSN', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', SENTRY_DSN: 'https://o1.ingest.sentry.io/42', OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://otel:4317' })).toThrow(
      /SENTRY_DSN must be a Sentry DSN: https:\/\/<public key>@<host>\/<project id>\n.*OTEL_EXPORTER_OTLP_ENDPOINT must use http: or https: \(got "grpc:"\)/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', SENTRY_DSN: 'secret-key-pasted-here' })).toThrow(/SENTRY_DSN is not a valid URL$/m);
  });

  it('starts nothing when neither SENTRY_DSN nor OTEL_EXPORTER_OTLP_ENDPOINT is set, or when one is invalid', () => {
    startObservabilityIfConfigured({ NODE_ENV: 'test' });
    startObservabilityIfConfigured({ NODE_ENV: 'test', SENTRY_DSN: 'not a url' });
    expect(observabilityHooks()).toBeUndefined();
  });
});
