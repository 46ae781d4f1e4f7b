import { KnowledgeBaseError } from '../domain/loader.js';
import type { Migration } from './infra/pg/migrations.js';

/**
 * A problem the person running the bot fixes (configuration, a data file, the database), not a bug:
 * the start reports its message in one line, without a stack trace.
 */
export class StartupError extends Error {}

/** True for a {@link StartupError} and for the domain's {@link KnowledgeBaseError} (src/domain cannot extend a src/bot class). */
export function isStartupProblem(e: unknown): e is Error {
  return e instanceof StartupError || e instanceof KnowledgeBaseError;
}

export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

/** A data file that cannot be trusted; the message names the file. The file is left as it is. */
export class StorageFileError extends StartupError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}. The file was left untouched: repair or move it, then start again.`);
    this.name = 'StorageFileError';
  }
}

/** The first line of an error's message, for one-line logs (a stack or a multi-line library message stays out). */
export const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];

/**
 * The database cannot serve the request now (down, restarting, unreachable, overloaded). The turn
 * is refused politely; the pool reconnects by itself once the database is back.
 */
export class DatabaseUnavailableError extends StartupError {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** A migration failed: nothing of this run was applied. */
export class MigrationError extends StartupError {
  constructor(migration: Migration, cause: unknown) {
    super(`PostgreSQL schema migration ${migration.version} (${migration.name}) failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}
