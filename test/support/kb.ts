import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { loadKnowledgeBase } from '../../src/domain/loader.js';
import { readSeeds } from '../../src/domain/seeds.js';
import type { KnowledgeBase, Procedure } from '../../src/domain/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const kbDir = resolve(repoRoot, 'kb');
export const seedsDir = resolve(process.env.SEEDS_DIR ?? resolve(kbDir, 'sources'));

let cached: KnowledgeBase | undefined;
/** The real knowledge base, loaded once per test run. */
export function realKb(): KnowledgeBase {
  return (cached ??= loadKnowledgeBase(kbDir));
}

export function procedure(id: string): Procedure {
  const p = realKb().procedures.find((x) => x.id === id);
  if (!p) throw new Error(`no procedure "${id}" in kb/`);
  return p;
}

export const seeds = () => readSeeds(seedsDir);
