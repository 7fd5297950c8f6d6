import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfigValues, keepDevelopmentJwtSecret, loadConfig } from './app-config';
import { backendRoot } from './backend-root';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(backendRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

let loaded: AppConfigValues | undefined;

/** The process-wide configuration, validated once. */
export function currentConfig(): AppConfigValues {
  loaded ??= keepDevelopmentJwtSecret(loadConfig(process.env, packageVersion()));
  return loaded;
}

/** Injectable view of the validated configuration. */
@Injectable()
export class AppConfig {
  readonly values: AppConfigValues = currentConfig();

  get<K extends keyof AppConfigValues>(key: K): AppConfigValues[K] {
    return this.values[key];
  }

  get isProduction(): boolean {
    return this.values.profile === 'production';
  }
}
