/**
 * Splits the evaluation set once into a tuning half and a held-out half: rows are grouped by what
 * they expect (procedure, or small talk, or none), each group shuffled with a fixed seed and dealt
 * alternately, so both halves cover every procedure. Run once when the set is written; the halves
 * are then kept as they are (`npm run eval:search` reports the held-out half).
 *
 *   tsx scripts/splitEvalSet.ts test/fixtures/eval/part-*.yaml
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

interface Row {
  text: string;
  expect: string;
  procedure?: string;
}

/** mulberry32: a small seeded generator, so the split is the same on every machine. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: tsx scripts/splitEvalSet.ts FILE.yaml…');
const rows: Row[] = files.flatMap((f) => parse(readFileSync(f, 'utf8')) as Row[]);
const groups = new Map<string, Row[]>();
for (const r of rows) {
  const key = r.expect === 'procedure' ? `procedure:${r.procedure}` : r.expect;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const next = random(20261201);
const halves: [Row[], Row[]] = [[], []];
let turn = 0;
for (const key of [...groups.keys()].sort()) {
  const group = groups.get(key)!;
  for (let i = group.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [group[i], group[j]] = [group[j], group[i]];
  }
  // Alternate which half gets a group's first row, so odd-sized groups do not all lean one way.
  group.forEach((r, i) => halves[(i + turn) % 2].push(r));
  turn++;
}
const dir = dirname(files[0]);
const header = (which: string) => `# ${which} half of the evaluation set: split once by scripts/splitEvalSet.ts (seeded, stratified by expected procedure).\n`;
writeFileSync(join(dir, 'tune.yaml'), header('Tuning') + stringify(halves[0], { lineWidth: 0 }));
writeFileSync(join(dir, 'held-out.yaml'), header('Held-out') + '# Never tune on these rows: only their summary numbers are read.\n' + stringify(halves[1], { lineWidth: 0 }));
console.log(`${rows.length} rows → tune ${halves[0].length}, held-out ${halves[1].length} (${groups.size} groups)`);
