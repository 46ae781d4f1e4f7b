import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../domain/loader.js';
import { KnowledgeSearch, loadSearchData, type BuiltSearch, type Lexicon, type SearchData } from '../domain/search/index.js';
import type { KnowledgeBase } from '../domain/types.js';
import { packagePath } from '../packageRoot.js';

/**
 * The knowledge base and its search data as the loaders validated them, kept in `cacheDir` under a
 * key of everything the result depends on: the bytes of every file in the knowledge base's folders
 * the loaders read (YAML, schemas), their code (every module of `src/domain`, compiled or not, or in
 * the bundle `npm start` runs the hash of those modules it was built from) and the versions of their
 * parsers and the search's packages (yaml, ajv, minisearch, snowball-stemmers) and Node's version. A
 * start whose key matches reads the JSON file instead of parsing the YAML and compiling the schemas
 * again, and the search index as it was built (`search-<key>.v8`, `v8.serialize`: it holds Maps and
 * Sets) instead of analyzing every text of the base again; any change to any of those bytes is
 * another key, so the base is validated and indexed again before it is served. Reloads
 * (`KnowledgeHolder.reload`) never use it: they check everything.
 */
const CACHE_FILE = /^(kb-[0-9a-f]{64}\.json|search-[0-9a-f]{64}\.v8)$/;
/** The search file starts with the SHA-256 of the rest: a damaged file is rebuilt, never half-read. */
const DIGEST_BYTES = 32;

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
    ...['examples', 'forms', 'procedures', 'search', 'sources', 'schema'].flatMap((d) => folder(join(kbDir, d), /\.(ya?ml|json|txt)$/)),
    ...code,
    ...['yaml', 'ajv', 'minisearch', 'snowball-stemmers'].map((pkg) => join(packagePath('node_modules', pkg), 'package.json')),
  ];
}

function keyOf(kbDir: string): string {
  const hash = createHash('sha256');
  // The serialized index's format is V8's.
  hash.update(`node\0${process.version}\0`);
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

/** What the loaders give for a knowledge-base folder, and the search index built from it. */
export interface ValidatedKnowledge {
  kb: KnowledgeBase;
  searchData: SearchData;
  search: KnowledgeSearch;
}

/** Writes `bytes` to `file` through a temporary file and a rename, so a reader never sees half of it. */
function writeAtomically(file: string, bytes: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

/** The index cached under `key`, if its file is whole (its digest matches) and holds that key. */
function readBuilt(file: string, key: string): BuiltSearch | undefined {
  try {
    const bytes = readFileSync(file);
    const body = bytes.subarray(DIGEST_BYTES);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
    const cached = deserialize(body) as { key?: string; built?: BuiltSearch };
    return cached.key === key ? cached.built : undefined;
  } catch {
    return undefined; // none yet, or unreadable
  }
}

/**
 * {@link loadKnowledgeBase} and {@link loadSearchData} through the cache, and the search index over
 * them: the cached result when nothing they depend on has changed, else a full load (which throws on
 * any problem, caching nothing) and a full index build, whose results are cached. A cache that
 * cannot be read, is damaged or cannot be written is only a slower start.
 */
export function loadKnowledgeCached(kbDir: string, cacheDir: string, lexicon?: Lexicon): ValidatedKnowledge {
  const key = keyOf(kbDir);
  const file = join(cacheDir, `kb-${key}.json`);
  const searchFile = join(cacheDir, `search-${key}.v8`);
  let loaded: { kb: KnowledgeBase; searchData: SearchData } | undefined;
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; kb?: KnowledgeBase; searchData?: SearchData };
    if (cached.key === key && cached.kb && Array.isArray(cached.kb.procedures) && cached.searchData) loaded = { kb: cached.kb, searchData: cached.searchData };
  } catch {
    // No cache yet, or a broken one: load and write it again.
  }
  const fresh = !loaded;
  loaded ??= { kb: loadKnowledgeBase(kbDir), searchData: loadSearchData(kbDir) };
  const built = fresh ? undefined : readBuilt(searchFile, key);
  let search: KnowledgeSearch | undefined;
  try {
    if (built) search = new KnowledgeSearch(loaded.kb, loaded.searchData, {}, lexicon, built);
  } catch {
    // Not what this code builds: built again below.
  }
  const restored = search !== undefined;
  search ??= new KnowledgeSearch(loaded.kb, loaded.searchData, {}, lexicon);
  try {
    mkdirSync(cacheDir, { recursive: true });
    if (fresh) writeAtomically(file, JSON.stringify({ key, ...loaded }));
    if (!restored) {
      const body = serialize({ key, built: search.built() });
      writeAtomically(searchFile, Buffer.concat([createHash('sha256').update(body).digest(), body]));
    }
    // One knowledge base is served at a time: older entries are only disk space.
    if (!restored) for (const f of readdirSync(cacheDir)) if (CACHE_FILE.test(f) && f !== basename(file) && f !== basename(searchFile)) rmSync(join(cacheDir, f), { force: true });
  } catch {
    // Read-only or full disk: the next start loads in full again.
  }
  return { ...loaded, search };
}
