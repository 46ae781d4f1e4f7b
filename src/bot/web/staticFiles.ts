import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type restify from 'restify';

/** The file types the pages load; any other file is not served. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The file a URL names under `prefix` (e.g. "/tab/"), inside `root` however the path is spelled
 * (encoded dots and slashes, NUL); `index` for the bare prefix. Undefined when it would leave `root`.
 */
export function fileUnder(root: string, url: string, prefix: string, index = 'index.html'): string | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url, 'http://localhost').pathname.slice(prefix.length)) || index;
  } catch {
    return undefined;
  }
  const dir = resolve(root);
  const file = resolve(dir, rel);
  return file.startsWith(dir + sep) && !rel.includes('\0') ? file : undefined;
}

/**
 * Sends a file of a known type with its length, revalidated on every load (`no-cache`: the pages
 * change with each release) and the page's own security `headers`. False, with nothing sent, when
 * there is no such file or its type is not served: the caller answers 404 its own way.
 */
export async function sendStaticFile(res: restify.Response, file: string, headers: Record<string, string>): Promise<boolean> {
  const type = contentTypes[extname(file)];
  if (!type) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': String(body.length), 'cache-control': 'no-cache', ...headers });
  res.end(body);
  return true;
}
