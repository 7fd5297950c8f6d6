import { join } from 'node:path';
import type { AppConfigValues } from './config/app-config';

/** A shell word in single quotes, pasteable as it is (a `'` inside becomes `'\''`). */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that makes the first admin, as a plain shell line (no JSON escaping: it works when pasted). */
export function firstAdminCommand(url: string, setupToken: string): string {
  return [
    'curl -X POST',
    `-H ${shellQuote(`X-Setup-Token: ${setupToken}`)}`,
    `-H 'Content-Type: application/json'`,
    `-d '{"email":"you@example.com"}'`,
    `${url}/api/admin/setup-first-admin`,
  ].join(' ');
}

/**
 * What a person starting the server in development needs, as plain text
 * rather than a JSON log line: where it listens, what it runs on, where mail
 * goes, how sessions are signed and, while there is no admin, the first-admin
 * command.
 */
export function bootBanner(config: AppConfigValues, url: string, firstAdmin: string | null): string {
  const database = config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `embedded (PGlite in ${join(config.dataDir, 'pglite')})`;
  const mail = config.smtpUrl ? `SMTP at ${new URL(config.smtpUrl).host}` : `not sent: written to ${join(config.dataDir, 'outbox')} (one JSON file per mail)`;
  const sessions = config.jwtSecretFile
    ? `signed with the development secret in ${config.jwtSecretFile} (they survive restarts)`
    : config.jwtSecretGenerated
      ? 'signed with a random secret for this run (set JWT_SECRET to keep them across restarts)'
      : 'signed with JWT_SECRET';
  const lines = [
    '',
    `  CryptoVault ${config.version} (${config.profile}) is running: ${url}`,
    '',
    `  Database  ${database}`,
    `  Cache     ${config.redisUrl ? `Redis at ${new URL(config.redisUrl).host}` : 'in-process (set REDIS_URL to share it between instances)'}`,
    `  Prices    ${config.priceSources.join(', ')}`,
    `  Mail      ${mail}`,
    `  Sessions  ${sessions}`,
    `  API docs  ${url}/docs`,
  ];
  if (!firstAdmin && config.adminSetupTokenGenerated) {
    lines.push(
      '',
      `  Setup token (random per start; set ADMIN_SETUP_TOKEN to fix it): ${config.adminSetupToken}`,
      '  An admin role change that no second admin can approve (a single admin making another) asks for it.',
    );
  }
  if (firstAdmin) {
    lines.push(
      '',
      '  No admin yet. Sign up and verify your address, then make yourself the first admin',
      `  (the setup token is random per start; set ADMIN_SETUP_TOKEN to fix it):`,
      '',
      `    ${firstAdmin}`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}
