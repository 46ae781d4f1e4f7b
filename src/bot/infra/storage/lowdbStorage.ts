import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
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

type Doc = Promise<Low<KeyDocument | null>>;

/** A file `steno` (lowdb's atomic writer) writes before renaming it over `<hash>.json`. */
const TEMP_FILE = /^\.[0-9a-f]{40}\.json\.tmp$/;
/** Written on a clean close: files not modified since were already checked. */
const CLEAN_MARKER = '.clean-shutdown';

/**
 * botbuilder `Storage` over lowdb, one small JSON document per key (`<dir>/<hash>.json`), so a
 * write costs the same however many conversations are stored (lowdb rewrites a whole file per
 * write). Writes are atomic (lowdb's steno writes a temporary file and renames it). eTags follow
 * MemoryStorage: a write with a stale eTag is refused, `*` or none overwrites.
 *
 * For one process. Memory is bounded: at most `maxCachedDocuments` documents stay cached (LRU), an
 * evicted one is read from disk again on demand. A document a read or write is using is never
 * evicted, and each key has one document object at a time, so the eTag check and update happen
 * synchronously on it and concurrent turns in this process cannot lose an update.
 */
export class LowdbStorage implements Storage {
  /** Documents no operation is using, least recently used first out. */
  private readonly idle: LRUCache<string, Doc>;
  /** Documents a read, write or delete is using, with how many: the key's one document until all are done. */
  private readonly inUse = new Map<string, { doc: Doc; users: number }>();

  constructor(
    readonly dir: string,
    options: LowdbStorageOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.idle = new LRUCache({ max: options.maxCachedDocuments ?? DEFAULT_CACHED_DOCUMENTS });
  }

  /** Documents held in memory now: at most the bound, plus those an operation is using. */
  get cachedDocuments(): number {
    return this.idle.size + this.inUse.size;
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
    for (const f of readdirSync(this.dir)) {
      if (TEMP_FILE.test(f)) {
        rmSync(join(this.dir, f), { force: true });
        removedTemp++;
      } else if (f.endsWith('.json') && (since === -Infinity || statSync(join(this.dir, f)).mtimeMs >= since)) {
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

  private load(key: string): Doc {
    const file = this.fileFor(key);
    return (async () => {
      // Compact JSON: a conversation's file is written every turn, and indentation doubled its size.
      const low = new Low<KeyDocument | null>(new DataFile(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }), null);
      try {
        await low.read();
      } catch (e) {
        throw new StorageFileError(file, `not valid JSON (${(e as Error).message})`);
      }
      low.data = checkDocument(file, low.data, key);
      return low;
    })();
  }

  /**
   * Runs `work` on the key's document. While any operation uses a document it is the key's only
   * document object (never evicted, never read twice), so eTag checks see every update; when the
   * last one finishes it joins the LRU. `work` runs synchronously up to its own first await.
   */
  private async use<T>(key: string, work: (db: Low<KeyDocument | null>) => T | Promise<T>): Promise<T> {
    let entry = this.inUse.get(key);
    if (!entry) {
      entry = { doc: this.idle.get(key) ?? this.load(key), users: 0 };
      this.idle.delete(key);
      this.inUse.set(key, entry);
    }
    entry.users++;
    let loaded = false;
    try {
      const db = await entry.doc;
      loaded = true;
      return await work(db);
    } finally {
      if (--entry.users === 0) {
        this.inUse.delete(key);
        // A failed read is not kept: the next turn reads the (repaired) file again.
        if (loaded) this.idle.set(key, entry.doc);
      }
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const item = await this.use(key, (db) => db.data && { ...structuredClone(db.data.item), eTag: db.data.eTag });
      if (item) items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(([key, change]) =>
        this.use(key, (db) => {
          const { eTag, ...item } = change as StoreItem;
          const current = db.data;
          if (current && eTag && eTag !== '*' && eTag !== current.eTag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          // Check and update with no await in between: concurrent writers in this process see each other.
          const next = { key, eTag: randomBytes(8).toString('hex'), item: structuredClone(item) };
          db.data = next;
          return db.write().catch((e) => {
            // Not on disk: the document in memory goes back to what the file holds, so a repeated turn starts from it.
            if (db.data === next) db.data = current;
            throw e;
          });
        }),
      ),
    );
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys)
      await this.use(key, async (db) => {
        db.data = null;
        await unlink(this.fileFor(key)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
      });
  }
}
