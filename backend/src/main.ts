import { join } from 'node:path';
import { BUNDLE_NAME, bundleIsCurrent, launch } from './launcher';
import { startObservabilityIfConfigured } from './observability/preload';

/**
 * `node backend/dist/main.js`: what the tests run, and what `npm start` and the container run through
 * `backend/scripts/run.sh` (which sets glibc's malloc and V8's heap limit, then execs it). It starts the bundled server
 * (`server.bundle.js`, made by `npm run build`) through V8's code cache (see launcher.ts). `nest start --watch` runs
 * `server.js` directly (nest-cli.json), with no bundle.
 */
const bundle = join(__dirname, BUNDLE_NAME);
if (!bundleIsCurrent(bundle)) {
  process.stderr.write(`CryptoVault: ${bundle} is missing or older than the compiled server; run \`npm run build\`\n`);
  process.exit(1);
}
// Error tracking and traces (SENTRY_DSN, OTEL_EXPORTER_OTLP_ENDPOINT), before the server's modules load; nothing when unset.
startObservabilityIfConfigured();
// CODE_CACHE_DIR: where the compiled code is kept (default: beside the bundle); `off` starts without the cache.
const cacheDir = process.env.CODE_CACHE_DIR || undefined;
launch(bundle, { cacheDir: cacheDir === 'off' ? false : cacheDir, log: (m) => process.stderr.write(`CryptoVault launcher: ${m}\n`) });
