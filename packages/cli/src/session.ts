/**
 * What every command needs before it can act: a redactor, a logger at the chosen level, and the
 * loaded config. Kept in one place so each command file holds only its own behaviour.
 */
import type { LevelWithSilent, Logger } from 'pino';
import { loadConfig } from './config/load.js';
import type { LoadedConfig } from '@liqmon/core/runtime';
import { createCliLogger } from './logger.js';
import type { Redactor } from '@liqmon/core';
import { cliRedactor } from './output.js';

export interface SessionOptions {
  config?: string;
  logLevel?: string;
}

export interface Session {
  redactor: Redactor;
  logger: Logger;
  config: LoadedConfig;
}

/**
 * Load the config and build the logger. Throws ConfigError / ConfigNotFoundError (exit code 2). The
 * config's secrets go into the process's {@link cliRedactor}, so that what any command prints, and the
 * errors `main` reports, are redacted too.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const redactor = cliRedactor;
  const config = await loadConfig({ configPath: options.config });
  for (const entry of [...config.sources, ...config.sinks]) for (const secret of entry.secrets) redactor.add(secret);
  redactor.add(config.core.http?.token);
  const level = (options.logLevel ?? config.core.log.level) as LevelWithSilent;
  const logger = createCliLogger({ level, redactor });
  for (const warning of config.warnings) logger.warn(warning);
  return { redactor, logger, config };
}
