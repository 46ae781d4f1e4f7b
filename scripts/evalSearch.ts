/**
 * `npm run eval:search`: measures understanding on the held-out half of the evaluation set
 * (test/fixtures/eval/held-out.yaml) against the real knowledge base and prints only its summary:
 * procedure top-1, wrong and missed pre-fills, out-of-scope answered, taps saved, complete messages
 * reaching their outcome with no tap. Exits non-zero on any wrong pre-fill or any out-of-scope
 * message answered with a procedure. `-- --tune` measures the tuning side instead — every file of
 * kb/examples, each file's summary and then all of them together — and lists every miss: tune on that
 * side only, so the held-out numbers stay an honest measurement. The classifier learns from those
 * same files, so on the tuning side it has seen every message: `-- --tune --unseen` measures each file
 * with a classifier trained without it (the way a new writer is met; about a minute); `--rules-only`
 * measures the search without the classifier, to see what it adds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadKnowledgeBase } from '../src/domain/loader.js';
import { KnowledgeSearch, loadSearchData, russianLexicon } from '../src/domain/search/index.js';
import { evaluateSet, SET_TARGETS, type EvalRow, type SetReport } from '../src/domain/search/evaluate.js';

const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const tune = process.argv.includes('--tune');
const unseen = process.argv.includes('--unseen');
const rulesOnly = process.argv.includes('--rules-only');
const examplesDir = resolve(kbDir, 'examples');
const files = process.env.EVAL_SET
  ? [resolve(process.env.EVAL_SET)]
  : tune
    ? (existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => /\.ya?ml$/.test(f)).sort() : []).map((f) => resolve(examplesDir, f))
    : [resolve('test/fixtures/eval/held-out.yaml')];
for (const file of files)
  if (!existsSync(file)) {
    console.error(`eval:search: no evaluation set at ${file}`);
    process.exit(1);
  }

const kb = loadKnowledgeBase(kbDir);
const loaded = loadSearchData(kbDir);
const data = rulesOnly ? { ...loaded, examples: undefined } : loaded;
const sets = files.map((file) => ({ name: basename(file), rows: (parse(readFileSync(file, 'utf8')) ?? []) as EvalRow[] }));
const lexicon = russianLexicon();
const search = new KnowledgeSearch(kb, data, {}, lexicon);
/** The search a file is measured with: with `--unseen`, its classifier never saw that file's messages. */
function searchFor(rows: readonly EvalRow[]): KnowledgeSearch {
  if (!unseen) return search;
  const own = new Set(rows.map((r) => r.text));
  return new KnowledgeSearch(kb, { ...data, examples: data.examples?.filter((e) => !own.has(e.text)) }, {}, lexicon);
}

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

const reports = new Map<string, SetReport>();
if (tune) {
  for (const set of sets) {
    const r = evaluateSet(searchFor(set.rows), kb, set.rows);
    reports.set(set.name, r);
    for (const m of r.misses) console.log(`  ${m.kind.padEnd(13)} «${m.text}»\n                expected ${m.expected}; got ${m.got}`);
    summary(set.name, set.rows.length, r);
    console.log('');
  }
}
const all = sets.flatMap((s) => s.rows);
/** Reports of disjoint row sets, as one. */
const sum = (list: readonly SetReport[]): SetReport =>
  list.reduce((a, b) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, Array.isArray(v) ? [...v, ...(b[k as keyof SetReport] as unknown[])] : (v as number) + (b[k as keyof SetReport] as number)])) as unknown as SetReport);
const r = tune && unseen ? sum([...reports.values()]) : evaluateSet(searchFor(all), kb, all);
summary(process.env.EVAL_SET ? sets[0].name : tune ? `the tuning side (${sets.map((s) => s.name).join(' + ')})` : 'the held-out half', all.length, r);

const failures: string[] = [];
if (r.wrongPrefills > 0) failures.push(`${r.wrongPrefills} wrong pre-fill(s)`);
if (r.outOfScopeAnswered > 0) failures.push(`${r.outOfScopeAnswered} out-of-scope message(s) answered with a procedure`);
if (failures.length > 0) {
  console.error(`eval:search FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('eval:search ok');
