import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { loadKnowledgeBase } from '../../src/domain/loader.js';
import { readSeeds } from '../../src/domain/seeds.js';
import type { KnowledgeBase, Procedure } from '../../src/domain/types.js';
import { KnowledgeSearch, loadSearchData, russianLexicon } from '../../src/domain/search/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const kbDir = resolve(repoRoot, 'kb');
export const seedsDir = resolve(process.env.SEEDS_DIR ?? resolve(kbDir, 'sources'));

let cached: KnowledgeBase | undefined;
let cachedSearch: KnowledgeSearch | undefined;
/** The real knowledge base, loaded once per test run. */
export function realKb(): KnowledgeBase {
  return (cached ??= loadKnowledgeBase(kbDir));
}

/** Search over the real knowledge base and kb/search, built once per test run (as the server builds it once at start). */
export function realSearch(): KnowledgeSearch {
  return (cachedSearch ??= new KnowledgeSearch(realKb(), loadSearchData(kbDir), {}, russianLexicon()));
}

export function procedure(id: string): Procedure {
  const p = realKb().procedures.find((x) => x.id === id);
  if (!p) throw new Error(`no procedure "${id}" in kb/`);
  return p;
}

export const seeds = () => readSeeds(seedsDir);
