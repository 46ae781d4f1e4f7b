import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding the project's package.json, found by walking up from this module: the same
 * whether the bot runs from src/ through tsx or precompiled from dist/ (`npm start`), so
 * cards/, public/ and node_modules/ are found without counting `../` from the caller.
 */
export const packageRoot: string = (() => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
})();

/** A directory of the project, e.g. `packagePath('cards')`, with a trailing separator. */
export const packagePath = (...parts: string[]): string => join(packageRoot, ...parts, '/');
