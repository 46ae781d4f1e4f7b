import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

/** One stored key: a small lowdb document of its own. */
interface KeyDocument {
  key: string;
  eTag: string;
  item: StoreItem;
}

/** A data file that cannot be trusted; the message names the file. The file is left as it is. */
export class StorageFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}. The file was left untouched: repair or move it, then start again.`);
    this.name = 'StorageFileError';
  }
}

function checkDocument(file: string, data: unknown, key?: string): KeyDocument | null {
  if (data === null) return null;
  const d = data as Partial<KeyDocument>;
  if (typeof d !== 'object' || typeof d.key !== 'string' || typeof d.eTag !== 'string' || typeof d.item !== 'object' || d.item === null)
    throw new StorageFileError(file, 'not a state document (expected {key, eTag, item})');
  if (key !== undefined && d.key !== key) throw new StorageFileError(file, `holds key "${d.key}", expected "${key}"`);
  return d as KeyDocument;
}

/**
 * botbuilder `Storage` over lowdb, one small JSON document per key (`<dir>/<hash>.json`), so a
 * write costs the same however many conversations are stored (lowdb rewrites a whole file per
 * write). Writes are atomic (lowdb's steno writes a temporary file and renames it). eTags follow
 * MemoryStorage: a write with a stale eTag is refused, `*` or none overwrites.
 *
 * For one process: documents are cached after the first read, and the eTag check and update
 * happen synchronously, so concurrent turns in this process cannot lose an update.
 */
export class LowdbStorage implements Storage {
  private readonly docs = new Map<string, Promise<Low<KeyDocument | null>>>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Parses every stored document; throws {@link StorageFileError} naming the first broken file. */
  verify(): number {
    const files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    for (const f of files) {
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
    return files.length;
  }

  private fileFor(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }

  private open(key: string): Promise<Low<KeyDocument | null>> {
    let db = this.docs.get(key);
    if (!db) {
      const file = this.fileFor(key);
      db = (async () => {
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
      this.docs.set(key, db);
      // A failed read is not cached: the next turn reads the (repaired) file again.
      db.catch(() => this.docs.delete(key));
    }
    return db;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const db = await this.open(key);
      if (db.data) items[key] = { ...structuredClone(db.data.item), eTag: db.data.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [key, change] of Object.entries(changes)) {
      const db = await this.open(key);
      const { eTag, ...item } = change as StoreItem;
      const current = db.data;
      if (current && eTag && eTag !== '*' && eTag !== current.eTag)
        throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
      // Check and update with no await in between: concurrent writers in this process see each other.
      db.data = { key, eTag: randomBytes(8).toString('hex'), item: structuredClone(item) };
      writes.push(db.write());
    }
    await Promise.all(writes);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const db = await this.open(key);
      db.data = null;
      await unlink(this.fileFor(key)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
  }
}
