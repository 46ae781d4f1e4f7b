import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { TextFile } from 'lowdb/node';
import { randomToken } from '../../../randomToken.js';
import { StorageFileError } from '../../errors.js';
import { AtomicFileWriter } from './atomicFileWriter.js';

/** Every storage of the process writes through one writer thread. */
const files = new AtomicFileWriter();

/** One stored key: a small lowdb document of its own. */
interface KeyDocument {
  key: string;
  eTag: string;
  item: StoreItem;
}

/** A stored item as JSON text without its eTag, and the eTag. */
export interface StoredJson {
  eTag: string;
  json: string;
}

/** A key as the cache holds it: what its file holds, the item as JSON (`item` undefined: no file). */
interface Entry {
  eTag: string;
  item?: string;
}

function checkDocument(file: string, data: unknown, key?: string): KeyDocument | null {
  if (data === null) return null;
  const d = data as Partial<KeyDocument>;
  if (typeof d !== 'object' || typeof d.key !== 'string' || typeof d.eTag !== 'string' || typeof d.item !== 'object' || d.item === null)
    throw new StorageFileError(file, 'not a state document (expected {key, eTag, item})');
  if (key !== undefined && d.key !== key) throw new StorageFileError(file, `holds key "${d.key}", expected "${key}"`);
  return d as KeyDocument;
}

/** The first 28 bits of a document's file name (its hash in hex); NaN for a name that is no hash, which matches none. */
const nameBits = (name: string): number => parseInt(name.slice(0, 7), 16);

/** Documents kept in memory by default; the others are read from disk when a turn needs them. */
export const DEFAULT_CACHED_DOCUMENTS = 5000;

export interface LowdbStorageOptions {
  /** Most documents kept in memory (least recently used ones are dropped; default {@link DEFAULT_CACHED_DOCUMENTS}). */
  maxCachedDocuments?: number;
}

/** The file a write writes before renaming it over `<hash>.json` (lowdb's own atomic writer's name). */
const TEMP_FILE = /^\.[0-9a-f]{40}\.json\.tmp$/;
/** Written on a clean close: files not modified since were already checked. */
const CLEAN_MARKER = '.clean-shutdown';

/**
 * botbuilder `Storage` over lowdb, one small JSON document per key (`<dir>/<hash>.json`), so a
 * write costs the same however many conversations are stored (lowdb rewrites a whole file per
 * write). eTags follow
 * MemoryStorage: a write with a stale eTag is refused, `*` or none overwrites.
 *
 * Each write is atomic (a temporary file renamed over the document) on a writer thread of its own
 * ({@link AtomicFileWriter}), awaited before the write resolves: on ext4 a rename over an older file
 * makes the kernel allocate and start writing the new file's blocks and free (with `discard`, trim)
 * the old one's inside the call, 0.1–0.5 ms in which the event loop would wait (README
 * «Performance»), and lowdb's asynchronous writer takes four thread-pool round trips for it. A
 * document not cached is read asynchronously (lowdb's `TextFile`), as a lookup in the directory
 * waits for a rename in it. The cache holds only what the files hold, documents as
 * JSON text: a read parses a fresh copy, a write serializes once for the file and the cache.
 * Operations on one key wait for its file read or write in flight, so each check-and-write is one
 * step and concurrent turns in this process cannot lose an update.
 *
 * For one process: a document put into the directory by another program while the bot runs is not
 * seen until the next start (after {@link verifyAtStart} a key whose file was not listed is new). Memory is bounded: at most `maxCachedDocuments` documents stay cached (LRU), an
 * evicted one is read from disk again on demand.
 */
export class LowdbStorage implements Storage {
  /** Documents read or written lately, least recently used first out. */
  private readonly cache: LRUCache<string, Entry>;
  /** The read or write of a file in flight, per key: other operations on the key wait for it. */
  private readonly busy = new Map<string, Promise<unknown>>();
  /**
   * Once {@link verifyAtStart} has listed the directory: the documents it may hold, by the first
   * 28 bits of their file name (the names it listed, and every one written since). A key not in it
   * has no file, so a new conversation's first read does not ask the file system (a failed open
   * costs 50–75 µs of CPU). A shared prefix or a deleted file only means a read that finds nothing.
   */
  private present?: Set<number>;

  constructor(
    readonly dir: string,
    options: LowdbStorageOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    // Its start overlaps the rest of the bot's instead of delaying the first turn's write.
    files.start();
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
    const present = new Set<number>();
    for (const f of readdirSync(this.dir)) {
      if (TEMP_FILE.test(f)) {
        rmSync(prefix + f, { force: true });
        removedTemp++;
      } else if (f.endsWith('.json')) {
        present.add(nameBits(f));
        if (since === -Infinity || (statSync(prefix + f, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity) >= since) {
          this.verifyFile(f);
          checked++;
        }
      }
    }
    this.present = present;
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

  /** The key's entry read from its file (a broken file throws and is not kept). */
  private async load(key: string): Promise<Entry> {
    const file = this.fileFor(key);
    if (this.present && !this.present.has(nameBits(basename(file)))) {
      const none: Entry = { eTag: '' };
      this.cache.set(key, none);
      return none;
    }
    const text = await new TextFile(file).read();
    let doc: KeyDocument | null;
    try {
      doc = checkDocument(file, text === null ? null : JSON.parse(text), key);
    } catch (e) {
      throw e instanceof StorageFileError ? e : new StorageFileError(file, `not valid JSON (${(e as Error).message})`);
    }
    const entry: Entry = doc ? { eTag: doc.eTag, item: JSON.stringify(doc.item) } : { eTag: '' };
    this.cache.set(key, entry);
    return entry;
  }

  /** The key's entry once nothing else runs on it: from the cache, or read from its file meanwhile. */
  private async entry(key: string): Promise<Entry> {
    // No await between the last look at `busy` and what follows it: one more tick there (a helper
    // awaited even when nothing is in flight) lets a second writer in on the same temporary file.
    for (let b = this.busy.get(key); b; b = this.busy.get(key)) await b.catch(() => undefined);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const load = this.load(key);
    this.busy.set(key, load);
    try {
      return await load;
    } finally {
      this.busy.delete(key);
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const stored = await this.readJson(key);
      if (stored) items[key] = { ...JSON.parse(stored.json), eTag: stored.eTag };
    }
    return items;
  }

  /** One key's item as the JSON text `write` stores (without its eTag), and its eTag; undefined when none is stored. */
  async readJson(key: string): Promise<StoredJson | undefined> {
    const { eTag, item } = this.cache.get(key) ?? (await this.entry(key));
    return item === undefined ? undefined : { eTag, json: item };
  }

  async write(changes: StoreItems): Promise<void> {
    // Serialized now: the items as the caller handed them, whatever it changes while this waits.
    const pending = Object.entries(changes).map(([key, change]) => {
      const { eTag, ...item } = change as StoreItem;
      return { key, eTag: eTag as string | undefined, item: JSON.stringify(item) };
    });
    for (const { key, eTag, item } of pending) await this.writeJson(key, eTag, item);
  }

  /** Writes one item given as the JSON text of its fields without `eTag` (as {@link readJson} gives it), as `write` does. */
  async writeJson(key: string, eTag: string | undefined, item: string): Promise<void> {
    // Checked again after the await: the check and the start of the write must be one synchronous step.
    let current = await this.entry(key);
    while (this.busy.has(key)) current = await this.entry(key);
    if (current.item !== undefined && eTag && eTag !== '*' && eTag !== current.eTag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
    const next: Entry = { eTag: randomToken(8, 'hex'), item };
    // The same bytes as JSON.stringify({ key, eTag, item }): compact, a conversation's file is written every turn.
    const file = this.fileFor(key);
    // Before the write: a failed one leaves at most a name that is looked for in vain.
    this.present?.add(nameBits(basename(file)));
    const written = files.write(file, join(this.dir, `.${basename(file)}.tmp`), `{"key":${JSON.stringify(key)},"eTag":"${next.eTag}","item":${item}}`);
    this.busy.set(key, written);
    try {
      await written;
      this.cache.set(key, next);
    } finally {
      // Not on disk: the cache still holds what the file holds.
      this.busy.delete(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      for (let b = this.busy.get(key); b; b = this.busy.get(key)) await b.catch(() => undefined);
      try {
        unlinkSync(this.fileFor(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      this.cache.delete(key);
    }
  }
}
