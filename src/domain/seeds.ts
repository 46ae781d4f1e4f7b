import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Seeds } from './lint.js';

/** Reads the seed texts (*.txt) of a folder, by file name. */
export function readSeeds(dir: string): Seeds {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}
