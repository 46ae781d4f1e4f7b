import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { LowSync } from 'lowdb';
import { DataFileSync } from 'lowdb/node';
import { randomToken } from '../../../randomToken.js';
import { StorageFileError } from '../../errors.js';

/** One stored key: a small lowdb document of its own. */
interface KeyDocument {
  key: string;
  eTag: string;
  item: StoreItem;
}

function checkDocument(file: string, data: unknown, key?: string): KeyDocument | null {
  if (data === null) return null;
  const d = data as Partial<KeyDocument>;
  if (typeof d !== 'object' || typeof d.key !== 'string' || typeof d.eTag !== 'string' || typeof d.item !== 'object' || d.item === null)
    throw new StorageFileError(file, 'not a state document (expected {key, eTag, item})');
  if (key !== undefined && d.key !== key) throw new StorageFileError(file, `holds key "${d.key}", expected "${key}"`);
  return d as KeyDocument;
}

/** Documents kept in memory by default; the others are read from disk when a turn needs them. */
export const DEFAULT_CACHED_DOCUMENTS = 5000;

export interface LowdbStorageOptions {
  /** Most documents kept in memory (least recently used ones are dropped; default {@link DEFAULT_CACHED_DOCUMENTS}). */
  maxCachedDocuments?: number;
}

type Doc = LowSync<KeyDocument | null>;

/** A file lowdb's atomic writer writes before renaming it over `<hash>.json`. */
const TEMP_FILE = /^\.[0-9a-f]{40}\.json\.tmp$/;
/** Written on a clean close: files not modified since were already checked. */
const CLEAN_MARKER = '.clean-shutdown';

/**
 * botbuilder `Storage` over lowdb, one small JSON document per key (`<dir>/<hash>.json`), so a
 * write costs the same however many conversations are stored (lowdb rewrites a whole file per
 * write). Writes are atomic (lowdb writes a temporary file and renames it). eTags follow
 * MemoryStorage: a write with a stale eTag is refused, `*` or none overwrites.
 *
 * lowdb's synchronous adapter: a state file is a few hundred bytes written without fsync, i.e. a
 * page-cache copy, and doing it inline costs less CPU than four thread-pool round trips and their
 * promises (open, write, close, rename) per turn; it also makes each read and each
 * check-and-write one uninterrupted step, so concurrent turns in this process cannot lose an update.
 *
 * For one process. Memory is bounded: at most `maxCachedDocuments` documents stay cached (LRU), an
 * evicted one is read from disk again on demand.
 */
export class LowdbStorage implements Storage {
  /** Documents read or written lately, least recently used first out. */
  private readonly cache: LRUCache<string, Doc>;

  constructor(
    readonly dir: string,
    options: LowdbStorageOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.cache = new LRUCache({ max: options.maxCachedDocuments ?? DEFAULT_CACHED_DOCUMENTS });
  }

  /** Documents held in memory now: at most the bound. */
  get cachedDocuments(): number {
    return this.cache.size;
  }

  /** Parses every stored document; throws {@link StorageFileError} naming the first broken file. */
  verify(): number {
    const files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    for (const f of files) this.verifyFile(f);
    return files.length;
  }

  /**
   * What the start checks, without reading every document: removes temporary files a killed write
   * left behind (a write that never renamed; the document still holds the state before it), and
   * parses only the documents changed since the last clean close ({@link markClean}); with no record
   * of one, all of them. The others are checked when a turn first reads them.
   */
  verifyAtStart(): { checked: number; removedTemp: number } {
    let since = -Infinity;
    try {
      since = Number(readFileSync(join(this.dir, CLEAN_MARKER), 'utf8')) - 2000; // coarse file-system clocks
    } catch {
      // No clean close recorded: check everything.
    }
    if (!Number.isFinite(since)) since = -Infinity;
    let checked = 0;
    let removedTemp = 0;
    // One stat per document is most of a start's check at 20,000 conversations: the directory is
    // joined once, not per file (path.join normalizes every time). A file removed since the listing
    // is no document to check.
    const prefix = join(this.dir, '/');
    for (const f of readdirSync(this.dir)) {
      if (TEMP_FILE.test(f)) {
        rmSync(prefix + f, { force: true });
        removedTemp++;
      } else if (f.endsWith('.json') && (since === -Infinity || (statSync(prefix + f, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity) >= since)) {
        this.verifyFile(f);
        checked++;
      }
    }
    return { checked, removedTemp };
  }

  /** Records a clean close: the next start checks only documents modified after now. */
  markClean(): void {
    try {
      writeFileSync(join(this.dir, CLEAN_MARKER), String(Date.now()));
    } catch {
      // Only a shortcut for the next start, which then checks every document.
    }
  }

  private verifyFile(f: string): void {
    const file = join(this.dir, f);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new StorageFileError(file, `not valid JSON (${(e as Error).message})`);
    }
    const doc = checkDocument(file, data);
    if (doc && this.fileFor(doc.key) !== file) throw new StorageFileError(file, `holds key "${doc.key}", which belongs in another file`);
  }

  private fileFor(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }

  /** The key's document, from the cache or read from its file (a broken file throws and is not kept). */
  private doc(key: string): Doc {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const file = this.fileFor(key);
    // Compact JSON: a conversation's file is written every turn, and indentation doubled its size.
    const low = new LowSync<KeyDocument | null>(new DataFileSync(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }), null);
    try {
      low.read();
    } catch (e) {
      throw new StorageFileError(file, `not valid JSON (${(e as Error).message})`);
    }
    low.data = checkDocument(file, low.data, key);
    this.cache.set(key, low);
    return low;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const data = this.doc(key).data;
      if (data) items[key] = { ...structuredClone(data.item), eTag: data.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const db = this.doc(key);
      const { eTag, ...item } = change as StoreItem;
      const current = db.data;
      if (current && eTag && eTag !== '*' && eTag !== current.eTag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
      db.data = { key, eTag: randomToken(8, 'hex'), item: structuredClone(item) };
      try {
        db.write();
      } catch (e) {
        // Not on disk: the next read takes the file as it is.
        this.cache.delete(key);
        throw e;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        unlinkSync(this.fileFor(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      this.cache.delete(key);
    }
  }
}
