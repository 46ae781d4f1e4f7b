/**
 * `npm run eval:search`: measures understanding on the held-out half of the evaluation set
 * (test/fixtures/eval/held-out.yaml) against the real knowledge base and prints only its summary:
 * procedure top-1, wrong and missed pre-fills, out-of-scope answered, taps saved, complete messages
 * reaching their outcome with no tap. Exits non-zero on any wrong pre-fill or any out-of-scope
 * message answered with a procedure. `-- --tune` measures the tuning side instead — tune.yaml and
 * every tune-*.yaml, each file's summary and then all of them together — and lists every miss: tune
 * on that side only, so the held-out numbers stay an honest measurement.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadKnowledgeBase } from '../src/domain/loader.js';
import { KnowledgeSearch, loadSearchData, russianLexicon } from '../src/domain/search/index.js';
import { evaluateSet, SET_TARGETS, type EvalRow, type SetReport } from '../src/domain/search/evaluate.js';

const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const tune = process.argv.includes('--tune');
const evalDir = resolve('test/fixtures/eval');
const files = process.env.EVAL_SET
  ? [resolve(process.env.EVAL_SET)]
  : tune
    ? ['tune.yaml', ...(existsSync(evalDir) ? readdirSync(evalDir).filter((f) => /^tune-.+\.yaml$/.test(f)).sort() : [])].map((f) => resolve(evalDir, f))
    : [resolve(evalDir, 'held-out.yaml')];
for (const file of files)
  if (!existsSync(file)) {
    console.error(`eval:search: no evaluation set at ${file}`);
    process.exit(1);
  }

const kb = loadKnowledgeBase(kbDir);
const search = new KnowledgeSearch(kb, loadSearchData(kbDir), {}, russianLexicon());
const sets = files.map((file) => ({ name: basename(file), rows: (parse(readFileSync(file, 'utf8')) ?? []) as EvalRow[] }));

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '—');
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
function summary(what: string, rows: number, r: SetReport) {
  console.log(`eval:search on ${what} (${rows} messages: ${r.inScope} in scope, ${r.smalltalk} small talk, ${r.outOfScope} out of scope)`);
  console.log(`procedure top-1:        ${r.top1}/${r.inScope} = ${pct(r.top1, r.inScope)}  (target ≥ ${SET_TARGETS.top1 * 100} %: ${mark(r.inScope > 0 && r.top1 / r.inScope >= SET_TARGETS.top1)}; asked "which of these?" with the right one first: ${r.ambiguousRightFirst})`);
  console.log(`small talk answered:    ${r.smalltalkRight}/${r.smalltalk}`);
  console.log(`wrong pre-fills:        ${r.wrongPrefills}  (target 0: ${mark(r.wrongPrefills === 0)})`);
  console.log(`missed pre-fills:       ${r.missedPrefills} of ${r.stated} stated answers`);
  console.log(`out of scope answered:  ${r.outOfScopeAnswered}/${r.outOfScope}  (target 0: ${mark(r.outOfScopeAnswered === 0)})`);
  console.log(`taps saved:             ${r.tapsSaved}`);
  console.log(`complete, 0 taps:       ${r.completeZeroTaps}/${r.complete} = ${pct(r.completeZeroTaps, r.complete)}  (target ≥ ${SET_TARGETS.completeZeroTaps * 100} %: ${mark(r.complete > 0 && r.completeZeroTaps / r.complete >= SET_TARGETS.completeZeroTaps)})`);
}

if (tune) {
  for (const set of sets) {
    const r = evaluateSet(search, kb, set.rows);
    for (const m of r.misses) console.log(`  ${m.kind.padEnd(13)} «${m.text}»\n                expected ${m.expected}; got ${m.got}`);
    summary(set.name, set.rows.length, r);
    console.log('');
  }
}
const all = sets.flatMap((s) => s.rows);
const r = evaluateSet(search, kb, all);
summary(process.env.EVAL_SET ? sets[0].name : tune ? `the tuning side (${sets.map((s) => s.name).join(' + ')})` : 'the held-out half', all.length, r);

const failures: string[] = [];
if (r.wrongPrefills > 0) failures.push(`${r.wrongPrefills} wrong pre-fill(s)`);
if (r.outOfScopeAnswered > 0) failures.push(`${r.outOfScopeAnswered} out-of-scope message(s) answered with a procedure`);
if (failures.length > 0) {
  console.error(`eval:search FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('eval:search ok');
