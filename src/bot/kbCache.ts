import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../domain/loader.js';
import { loadSearchData, type SearchData } from '../domain/search/index.js';
import type { KnowledgeBase } from '../domain/types.js';
import { packagePath } from '../packageRoot.js';

/**
 * The knowledge base and its search data as the loaders validated them, kept in `cacheDir` under a
 * key of everything the result depends on: the bytes of every file in the knowledge base's folders
 * the loaders read (YAML, schemas), their code (every module of `src/domain`, compiled or not, or in
 * the bundle `npm start` runs the hash of those modules it was built from) and the versions of their
 * parsers (yaml, ajv). A start whose key matches reads that one JSON file
 * instead of parsing the YAML and compiling the schemas again; any change to any of those bytes is
 * another key, so the base is validated again before it is served. Reloads
 * (`KnowledgeHolder.reload`) never use it: they check everything.
 */
const CACHE_FILE = /^kb-[0-9a-f]{64}\.json$/;

/** Defined by scripts/build.mjs in dist/server.js, where src/domain is no folder of modules to read. */
declare const BUNDLED_DOMAIN_HASH: string | undefined;
const bundledDomainHash = typeof BUNDLED_DOMAIN_HASH === 'string' ? BUNDLED_DOMAIN_HASH : undefined;

/** Files whose bytes decide what the loader returns for `kbDir`. */
function inputs(kbDir: string): string[] {
  const folder = (dir: string, ext: RegExp) => {
    try {
      return readdirSync(dir)
        .filter((f) => ext.test(f))
        .sort()
        .map((f) => join(dir, f));
    } catch {
      return []; // a missing folder: the loader reports it, or does without it (forms)
    }
  };
  const self = fileURLToPath(import.meta.url);
  const domain = join(dirname(self), '..', 'domain');
  const code = bundledDomainHash ? [] : ['', 'search', 'understanding'].flatMap((d) => folder(join(domain, d), new RegExp(`\\${extname(self)}$`)));
  return [
    ...folder(kbDir, /\.ya?ml$/),
    ...['forms', 'procedures', 'search', 'sources', 'schema'].flatMap((d) => folder(join(kbDir, d), /\.(ya?ml|json|txt)$/)),
    ...code,
    ...['yaml', 'ajv'].map((pkg) => join(packagePath('node_modules', pkg), 'package.json')),
  ];
}

function keyOf(kbDir: string): string {
  const hash = createHash('sha256');
  if (bundledDomainHash) hash.update(`bundle\0${bundledDomainHash}\0`);
  for (const file of inputs(kbDir)) {
    let bytes: Buffer | string = '';
    try {
      bytes = readFileSync(file);
    } catch {
      // Gone between listing and reading: hashed as missing, the loader says what is wrong.
    }
    hash.update(`${basename(dirname(file))}/${basename(file)}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** What the loaders give for a knowledge-base folder. */
export interface ValidatedKnowledge {
  kb: KnowledgeBase;
  searchData: SearchData;
}

/**
 * {@link loadKnowledgeBase} and {@link loadSearchData} through the cache: the cached result when
 * nothing they depend on has changed, else a full load (which throws on any problem, caching
 * nothing) whose result is cached. A cache that cannot be read or written is only a slower start.
 */
export function loadKnowledgeCached(kbDir: string, cacheDir: string): ValidatedKnowledge {
  const key = keyOf(kbDir);
  const file = join(cacheDir, `kb-${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { key?: string } & Partial<ValidatedKnowledge>;
    if (cached.key === key && cached.kb && Array.isArray(cached.kb.procedures) && cached.searchData) return { kb: cached.kb, searchData: cached.searchData };
  } catch {
    // No cache yet, or a broken one: load and write it again.
  }
  const loaded = { kb: loadKnowledgeBase(kbDir), searchData: loadSearchData(kbDir) };
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, ...loaded }));
    renameSync(temp, file);
    // One knowledge base is served at a time: older entries are only disk space.
    for (const f of readdirSync(cacheDir)) if (CACHE_FILE.test(f) && f !== basename(file)) rmSync(join(cacheDir, f), { force: true });
  } catch {
    // Read-only or full disk: the next start loads in full again.
  }
  return loaded;
}
