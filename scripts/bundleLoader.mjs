/**
 * dist/server.js, copied there by scripts/build.mjs: runs the bundle beside it (server.bundle.cjs)
 * with V8's code cache. Compiling the 7 MB bundle and the functions the start and the first turn
 * call is ≈ 20 % of a start's CPU (README «Performance», «The start, fifth pass»); with the cache
 * V8 takes their bytecode from the file instead. Node 20 has no `module.enableCompileCache`, and
 * `v8-compile-cache` compiles `.mjs` files as CommonJS, so this is that library's core in a page:
 * `vm.Script` with `cachedData`, the bundle being one CommonJS file.
 *
 * The cache (server.bundle.cjs.v8cache) is written at the first clean exit (code 0) of a process
 * that had none it could use, from what that run compiled. It holds the SHA-256 of the bundle's
 * text it was made from and of its own payload: a cache of another build, or a damaged or
 * truncated file, is not handed to V8 (V8 checks its own version, flags and the source's length,
 * not its content). It lives beside the code it caches, writable by whoever could replace that
 * code; a read-only dist/ only means no cache. Plain JavaScript: it runs before anything is built.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const self = fileURLToPath(import.meta.url);
const bundle = join(dirname(self), `${basename(self, '.js')}.bundle.cjs`);
const cacheFile = `${bundle}.v8cache`;
const HASH = 32;

/** The bundle compiled, with the cache when there is one that fits; none of the buffers stays referenced. */
function compile() {
  const bytes = readFileSync(bundle);
  const sourceHash = createHash('sha256').update(bytes).digest();
  const source = bytes.toString('latin1'); // the build writes it in ASCII
  const cachedData = readCache(sourceHash);
  // The CommonJS wrapper on a line of its own, so the bundle's lines and columns are the file's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, { filename: bundle, lineOffset: -1, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', (code) => code === 0 && writeCache(script, sourceHash));
  return script;
}

/** The cache's payload if it was made from this very bundle and arrived whole, else undefined. */
function readCache(sourceHash) {
  let file;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (file.length <= 2 * HASH || !file.subarray(0, HASH).equals(sourceHash)) return undefined;
  const payload = file.subarray(2 * HASH);
  return createHash('sha256').update(payload).digest().equals(file.subarray(HASH, 2 * HASH)) ? payload : undefined;
}

/** What this run compiled, for the next start: a temporary file renamed over the cache, so never half written. */
function writeCache(script, sourceHash) {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    const payload = script.createCachedData();
    writeFileSync(temp, Buffer.concat([sourceHash, createHash('sha256').update(payload).digest(), payload]));
    renameSync(temp, cacheFile);
  } catch {
    rmSync(temp, { force: true }); // only a slower next start
  }
}

const bundleModule = new Module(bundle);
bundleModule.filename = bundle;
compile().runInThisContext().call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
