/**
 * `npm run kb:map`: writes docs/maps/<procedure file>.svg for every procedure — the same maps the
 * web console serves at /kb/<id>, generated from kb/procedures (KB_DIR), never drawn by hand.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { procedureSvg } from '../src/bot/web/kbMaps.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../src/domain/loader.js';

const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const outDir = resolve(process.argv[2] ?? 'docs/maps');
try {
  const kb = loadKnowledgeBase(kbDir);
  mkdirSync(outDir, { recursive: true });
  // Maps of procedures that no longer exist go too: the folder mirrors kb/procedures.
  for (const old of readdirSync(outDir).filter((f) => f.endsWith('.svg'))) rmSync(join(outDir, old));
  for (const proc of kb.procedures) writeFileSync(join(outDir, `${(proc.file ?? proc.id).replace(/\.ya?ml$/, '')}.svg`), await procedureSvg(kb, proc));
  console.log(`kb:map: ${kb.procedures.length} maps in ${outDir} (kb ${kb.version})`);
} catch (e) {
  console.error(e instanceof KnowledgeBaseError ? `kb:map: ${e.message}` : e);
  process.exit(1);
}
