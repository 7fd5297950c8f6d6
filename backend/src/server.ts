import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AdminSetupService } from './admin/admin-setup.service';
import { createApp, mountDocs } from './app.factory';
import { bootBanner } from './boot-banner';
import { installGracefulShutdown } from './common/lifecycle/graceful-shutdown';
import { ConfigError } from './config/app-config';
import { FxRefreshService } from './fx/fx-refresh.service';
import { LedgerCheckService } from './ledger/ledger-check.service';
import { UserSocketGateway } from './notifications/user-socket.gateway';
import { PriceIngestionService } from './prices/ingestion/price-ingestion.service';
import { PricesGateway } from './prices/stream/prices.gateway';
import { LISTENING_EVENT } from './launcher';
import { connectObservability } from './observability/bridge';

async function main(): Promise<void> {
  const started = Date.now();
  // Before the Express app and the Redis clients exist: they are instrumented when traces are on (main.ts).
  connectObservability();
  const { app, config, logger: root } = await createApp();
  mountDocs(app, config.version);
  const server = await app.listen(config.port, config.host);
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  // Idle kept-alive connections outlive a proxy's (KEEP_ALIVE_TIMEOUT_MS); the graceful shutdown closes them at once.
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  installGracefulShutdown({
    server,
    graceMs: config.shutdownGraceMs,
    logger: root,
    steps: [
      { name: 'price websockets', run: () => app.get(PricesGateway).goingAway() },
      { name: 'user websockets', run: () => app.get(UserSocketGateway).goingAway() },
      { name: 'price leader lease', run: () => app.get(PriceIngestionService).resign() },
      { name: 'ledger check', run: () => app.get(LedgerCheckService).onModuleDestroy() },
      { name: 'reference rates refresh', run: () => app.get(FxRefreshService).stop() },
      { name: 'schedules', run: () => stopSchedules(app.get(SchedulerRegistry)) },
    ],
    close: () => app.close(),
  });
  const logger = new Logger('Boot');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.log(
    `CryptoVault ${config.version} (${config.profile}) listening on ${url} in ${Date.now() - started} ms; ` +
      `database ${config.databaseUrl ? 'postgres' : 'pglite (embedded)'}, cache ${config.redisUrl ? 'redis' : 'in-process'}`,
  );
  if (config.jwtSecretGenerated) logger.warn('JWT_SECRET is unset: using a random secret for this run (sessions end at restart)');
  if (config.jwtSecretFile) logger.log(`JWT_SECRET is unset: signing with the development secret kept in ${config.jwtSecretFile} (sessions survive restarts)`);
  // In development, for the person at the terminal: plain text (a shell line stays pasteable), after the JSON lines.
  if (config.profile === 'development') process.stdout.write(bootBanner(config, url, app.get(AdminSetupService).firstAdminCommand(url)));
  // Tells the launcher (main.ts) that start-up code has run: the moment to keep V8's compiled code for the next start.
  process.emit(LISTENING_EVENT as never);
}

/** No cron job, interval or timeout of @nestjs/schedule starts again (one already running finishes). */
function stopSchedules(registry: SchedulerRegistry): void {
  for (const job of registry.getCronJobs().values()) void job.stop();
  for (const name of registry.getIntervals()) registry.deleteInterval(name);
  for (const name of registry.getTimeouts()) registry.deleteTimeout(name);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`CryptoVault failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  }
  process.exit(1);
});
