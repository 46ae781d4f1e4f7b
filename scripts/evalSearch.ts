/**
 * `npm run eval:search`: measures free-text search on test/fixtures/search-questions.yaml against the
 * real knowledge base. Prints top-1 / top-3 accuracy, out-of-scope answers and every miss; exits
 * non-zero below 90 % top-1 or 98 % top-3, on any out-of-scope question answered, or when an expected
 * procedure or FAQ is missing from the knowledge base (`--partial` tolerates missing ones while the
 * knowledge base is being written).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadKnowledgeBase } from '../src/domain/loader.js';
import { KnowledgeSearch, loadSearchData } from '../src/domain/search/index.js';
import { evaluate, TOP1_MIN, TOP3_MIN, type EvalQuestion } from '../src/domain/search/evaluate.js';

const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const fixture = resolve(process.env.SEARCH_QUESTIONS ?? 'test/fixtures/search-questions.yaml');
const partial = process.argv.includes('--partial');

const kb = loadKnowledgeBase(kbDir);
const search = new KnowledgeSearch(kb, loadSearchData(kbDir));
const { questions } = parse(readFileSync(fixture, 'utf8')) as { questions: EvalQuestion[] };
const r = evaluate(search, kb, questions);

const pct = (n: number) => (r.inScope ? ((100 * n) / r.inScope).toFixed(1) : '0.0');
console.log(`search eval: ${kb.procedures.length} procedures, ${questions.length} questions (${r.inScope} in scope, ${r.outOfScope} out of scope, ${r.unresolved.length} unresolved)`);
console.log(`top-1: ${r.top1}/${r.inScope} = ${pct(r.top1)} %   top-3: ${r.top3}/${r.inScope} = ${pct(r.top3)} %   ambiguous: ${r.ambiguous}`);
console.log(`out of scope answered: ${r.outOfScopeAnswered.length}/${r.outOfScope}`);
for (const m of r.misses) console.log(`  miss  «${m.question}»\n        expected ${m.expected}, got ${m.got}`);
for (const m of r.outOfScopeAnswered) console.log(`  out-of-scope answered  «${m.question}»: ${m.got}`);
if (r.unresolved.length > 0) console.log(`  unresolved (not in the knowledge base): ${[...new Set(r.unresolved.map((m) => m.expected.split('#')[0]))].join(', ')}`);

const failures: string[] = [];
if (r.inScope === 0 || r.top1 / r.inScope < TOP1_MIN) failures.push(`top-1 below ${TOP1_MIN * 100} %`);
if (r.inScope === 0 || r.top3 / r.inScope < TOP3_MIN) failures.push(`top-3 below ${TOP3_MIN * 100} %`);
if (r.outOfScopeAnswered.length > 0) failures.push(`${r.outOfScopeAnswered.length} out-of-scope question(s) answered`);
if (r.unresolved.length > 0 && !partial) failures.push(`${r.unresolved.length} question(s) expect a procedure or FAQ the knowledge base lacks`);
if (failures.length > 0) {
  console.error(`eval:search FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('eval:search ok');
