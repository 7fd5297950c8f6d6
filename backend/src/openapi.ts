import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from './app.factory';
import { buildOpenApiDocument } from './openapi/document';

/**
 * `npm run openapi`: writes the OpenAPI document without a database or Redis.
 * Nest's preview mode scans modules and controllers without instantiating
 * providers, so nothing connects anywhere.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? resolve(__dirname, '..', '..', 'openapi.json'));
  const { app, config } = await createApp({ preview: true });
  const document = buildOpenApiDocument(app, config.version);
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close().catch(() => undefined);
  process.stdout.write(`wrote ${out} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
