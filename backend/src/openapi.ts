import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createApp } from './app.factory';
import { buildAsyncApiDocument } from './asyncapi/asyncapi-document';
import { buildOpenApiDocument } from './openapi/document';

/**
 * `npm run openapi [path/openapi.json]`: writes the OpenAPI document, and the WebSocket API's AsyncAPI
 * document as asyncapi.json in the same directory, without a database or Redis.
 * Nest's preview mode scans modules and controllers without instantiating
 * providers, so nothing connects anywhere.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? resolve(__dirname, '..', '..', 'openapi.json'));
  const { app, config } = await createApp({ preview: true });
  const document = buildOpenApiDocument(app, config.version);
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  const asyncOut = join(dirname(out), 'asyncapi.json');
  const asyncapi = buildAsyncApiDocument(document, config.version);
  writeFileSync(asyncOut, `${JSON.stringify(asyncapi, null, 2)}\n`);
  await app.close().catch(() => undefined);
  process.stdout.write(`wrote ${out} (${Object.keys(document.paths).length} paths) and ${asyncOut} (${Object.keys(asyncapi.channels).length} channels)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
