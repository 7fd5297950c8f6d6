import { Logger } from '@nestjs/common';
import { createApp, mountDocs } from './app.factory';
import { ConfigError } from './config/app-config';

async function main(): Promise<void> {
  const started = Date.now();
  const { app, config } = await createApp();
  mountDocs(app, config.version);
  const server = await app.listen(config.port, config.host);
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  const logger = new Logger('Boot');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(
    `CryptoVault ${config.version} (${config.profile}) listening on http://localhost:${port} in ${Date.now() - started} ms; ` +
      `database ${config.databaseUrl ? 'postgres' : 'pglite (embedded)'}, cache ${config.redisUrl ? 'redis' : 'in-process'}`,
  );
  if (config.jwtSecretGenerated) logger.warn('JWT_SECRET is unset: using a random secret for this run (sessions end at restart)');
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`CryptoVault failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  }
  process.exit(1);
});
