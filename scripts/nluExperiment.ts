/**
 * `npx tsx scripts/nluExperiment.ts`: a measured experiment, not part of the product. Would a learned
 * classifier, as a second opinion on the procedure, help the search meet a new writer's messages?
 *
 * Leave-one-file-out over the tuning side (tune.yaml + tune-*.yaml; never held-out.yaml): each
 * classifier is trained on every other tuning file (plus each procedure's title, summary, triggers,
 * option labels and FAQ questions) and tested on the left-out file, the way a new writer is met.
 * Measured per file and pooled: procedure top-1 (a match on the expected procedure; for FAQ rows the
 * procedure is enough) and out-of-scope messages answered (a match or "which of these?").
 *
 *   V0  the search alone (KnowledgeSearch.query, built as scripts/evalSearch.ts builds it). Note: the
 *       search's rules were tuned on all these files but the last writer's (tune-fresh8.yaml), so V0
 *       is an in-sample number except there.
 *   V1  the classifier alone (argmax over procedure ids + "none"); V1θ also answers none below a
 *       confidence θ chosen on the other files.
 *   V2  the search, with the classifier allowed only to re-order or withhold: R) a confident pick
 *       (p ≥ τ) that is a procedure among the search's candidates (its "which of these?" set, or its
 *       top three behind a match) becomes the match; W) a confident "none" (p ≥ τn) withholds an
 *       answer; RW) both. The search's "none" and small talk are kept: nothing is ever answered from
 *       nothing. A) like R, but only a "which of these?" set is settled, a match never overridden.
 *       τ and τn for a file are chosen on the other files' LOFO predictions only.
 *
 * Classifiers: `nlpjs` (@nlpjs/nlp NeuralNetwork NLU with @nlpjs/lang-ru) and `logreg` (the product's
 * TopicClassifier: TF-IDF over the search's own analyzer terms + char 3–5-grams, multinomial logistic
 * regression).
 * Also printed: where the search's in-scope misses are, and for the in-scope messages it answers
 * none, how often the right procedure comes first among its offered topics vs the classifier's best
 * procedure (re-ranking offers adds no answer). `--only=logreg` limits the classifiers,
 * `--kb-only` trains on the knowledge base's texts alone, `--changes` lists every message a V2 variant changes. About 5–10 minutes for all three.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { loadKnowledgeBase } from '../src/domain/loader.js';
import { KnowledgeSearch, loadSearchData, russianLexicon, type SearchResult } from '../src/domain/search/index.js';
import type { EvalRow } from '../src/domain/search/evaluate.js';
import { procedureExamples, TopicClassifier } from '../src/domain/search/classifier.js';
import type { KnowledgeBase } from '../src/domain/types.js';

const NONE = 'none';
const requireCjs = createRequire(import.meta.url);
const kbDir = resolve(process.env.KB_DIR ?? 'kb');
const evalDir = resolve(kbDir, 'examples');
const fileNames = readdirSync(evalDir).filter((f) => f.endsWith('.yaml')).sort();
if (fileNames.some((f) => /held-out/.test(f))) throw new Error('held-out.yaml is never used here');
/** `--kb-only`: train on the knowledge base's own texts alone (no "none" class then), to see what the rows add. */
const kbOnly = process.argv.includes('--kb-only');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');

const kb = loadKnowledgeBase(kbDir);
const search = new KnowledgeSearch(kb, loadSearchData(kbDir), {}, russianLexicon());
const sets = fileNames.map((f) => {
  const file = resolve(evalDir, f);
  if (!existsSync(file)) throw new Error(`no ${file}`);
  return { name: basename(f, '.yaml'), rows: (parse(readFileSync(file, 'utf8')) ?? []) as EvalRow[] };
});

/** The label a row teaches: its procedure, or none; small talk is the search's own business. */
const labelOf = (row: EvalRow): string | undefined => (row.expect === 'procedure' ? row.procedure : row.expect === 'none' ? NONE : undefined);

const extra = procedureExamples(kb);

// ---------------------------------------------------------------------------------------------
// Classifiers

interface Prediction {
  /** Labels with probabilities (or scores in [0, 1]), best first. */
  ranked: { label: string; p: number }[];
}
interface Classifier {
  name: string;
  train(docs: readonly { text: string; label: string }[]): Promise<void>;
  predict(text: string): Promise<Prediction>;
}

/** The product's classifier (src/domain/search/classifier.ts), trained on each fold. */
class LogReg implements Classifier {
  name = 'logreg';
  private clf?: TopicClassifier;
  async train(docs: readonly { text: string; label: string }[]): Promise<void> {
    this.clf = TopicClassifier.train(docs, (t) => search.wordingTerms(t));
  }
  async predict(text: string): Promise<Prediction> {
    return { ranked: this.clf!.predict(text) };
  }
}

/** @nlpjs/nlp's NLU (its NeuralNetwork, Russian stemmer and tokenizer from @nlpjs/lang-ru); no NER, no answers. */
class NlpJs implements Classifier {
  name = 'nlpjs';
  private nlp: any;

  async train(docs: readonly { text: string; label: string }[]): Promise<void> {
    // CommonJS without type declarations: loaded untyped.
    const { containerBootstrap } = requireCjs('@nlpjs/core');
    const { Nlp } = requireCjs('@nlpjs/nlp');
    const { LangRu } = requireCjs('@nlpjs/lang-ru');
    const container = await containerBootstrap();
    container.use(Nlp);
    container.use(LangRu);
    const nlp = container.get('nlp');
    nlp.settings.autoSave = false;
    nlp.settings.autoLoad = false;
    nlp.settings.nlu = { log: false };
    nlp.addLanguage('ru');
    for (const d of docs) nlp.addDocument('ru', d.text, d.label);
    // Its NeuralNetwork prints every epoch's loss; the table is what this script prints.
    const log = console.log;
    console.log = () => {};
    try {
      await nlp.train();
    } finally {
      console.log = log;
    }
    this.nlp = nlp;
  }

  async predict(text: string): Promise<Prediction> {
    const out = await this.nlp.nluManager.process('ru', text);
    const ranked = ((out.classifications ?? []) as { intent: string; score: number }[])
      // nlp.js's own "None" (nothing it knows) counts as no confident pick of anything.
      .map((c) => ({ label: c.intent === 'None' ? '(unknown)' : c.intent, p: c.score }))
      .sort((a, b) => b.p - a.p);
    return { ranked: ranked.length ? ranked : [{ label: '(unknown)', p: 1 }] };
  }
}

// ---------------------------------------------------------------------------------------------
// The search's answers (once per row) and the variants

interface Case {
  file: string;
  row: EvalRow;
  label: string | undefined;
  result: SearchResult;
  /** The procedures the search would offer, best first: its "which of these?" set, or its top three behind a match. */
  candidates: string[];
  rescuable: string[];
}

const cases: Case[] = [];
let searchMs = 0;
for (const set of sets)
  for (const row of set.rows) {
    const t = performance.now();
    const result = search.query(row.text);
    const candidates = result.type === 'ambiguous' ? result.candidates.map((h) => h.procedureId) : result.type === 'match' ? [...new Set([result.hit.procedureId, ...search.top(row.text, 3).map((h) => h.procedureId)])] : [];
    searchMs += performance.now() - t;
    // The topics a «нет» may be rescued to: none by coverage alone (not a figure asked or the operator's own), requires and excludes held.
    const s = search as any;
    const q = s.read(row.text);
    const rescuable = result.type === 'none' && s.answer(q).type === 'none' ? (s.candidates(q, 3, true, true) as { doc: { procedureId: string } }[]).map((x) => x.doc.procedureId) : [];
    cases.push({ file: set.name, row, label: labelOf(row), result, candidates, rescuable });
  }

/** What an answer comes to: one procedure, a "which of these?" set, or nothing (none or small talk). */
type Outcome = { type: 'match'; procedure: string } | { type: 'ambiguous'; first: string } | { type: 'none' };
const fromSearch = (c: Case): Outcome => (c.result.type === 'match' ? { type: 'match', procedure: c.result.hit.procedureId } : c.result.type === 'ambiguous' ? { type: 'ambiguous', first: c.candidates[0] } : { type: 'none' });

interface Tally {
  inScope: number;
  top1: number;
  /** In-scope messages answered with one wrong procedure: worse than a "which of these?". */
  wrong: number;
  outOfScope: number;
  oosAnswered: number;
}
const emptyTally = (): Tally => ({ inScope: 0, top1: 0, wrong: 0, outOfScope: 0, oosAnswered: 0 });
function score(t: Tally, c: Case, o: Outcome): void {
  if (c.row.expect === 'none') {
    t.outOfScope++;
    if (o.type !== 'none') t.oosAnswered++;
  } else if (c.row.expect === 'procedure') {
    t.inScope++;
    if (o.type === 'match' && o.procedure === c.row.procedure) t.top1++;
    else if (o.type === 'match') t.wrong++;
  }
}

/** The combination: the classifier may re-order the search's own candidates, or withhold its answer. */
function combine(c: Case, pred: Prediction, tau: number | undefined, tauNone: number | undefined, ambiguousOnly = false, fromNearest = 0): Outcome {
  const base = fromSearch(c);
  if (base.type === 'none') {
    // N: a confident pick that is among the first `fromNearest` topics the search offers with its «нет» becomes the match.
    const best = pred.ranked[0];
    const nearest = process.argv.includes('--gated') ? c.rescuable.slice(0, fromNearest) : c.result.type === 'none' ? (c.result.nearest ?? []).slice(0, fromNearest).map((h) => h.procedureId) : [];
    if (tau !== undefined && best.label !== NONE && best.p >= tau && nearest.includes(best.label)) return { type: 'match', procedure: best.label };
    return base;
  }
  if (fromNearest > 0 && !ambiguousOnly) return base;
  if (ambiguousOnly && base.type !== 'ambiguous') return base;
  const best = pred.ranked[0];
  if (tauNone !== undefined && best.label === NONE && best.p >= tauNone) return { type: 'none' };
  if (tau !== undefined && best.label !== NONE && best.p >= tau && c.candidates.includes(best.label)) return { type: 'match', procedure: best.label };
  return base;
}

/** The objective τ is chosen by on the other files: right answers, less each wrong one, each out-of-scope answer costing three. */
const objective = (t: Tally) => t.top1 - t.wrong - 3 * t.oosAnswered;
/** R re-orders, A only settles the search's "which of these?" (never overrides its match), W withholds. */
type Mode = 'R' | 'A' | 'W' | 'RW' | 'N1' | 'N3' | 'AN1';
const nearestOf = (m: Mode) => (m === 'N1' || m === 'AN1' ? 1 : m === 'N3' ? 3 : 0);
const GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.01];

function chooseTau(others: { c: Case; pred: Prediction }[], mode: Mode): { tau?: number; tauNone?: number } {
  let best = { v: -Infinity, tau: undefined as number | undefined, tauNone: undefined as number | undefined };
  const taus = mode === 'W' ? [undefined] : GRID;
  const ambiguousOnly = mode === 'A' || mode === 'AN1';
  const tausNone = mode === 'W' || mode === 'RW' ? GRID : [undefined];
  for (const tau of taus)
    for (const tauNone of tausNone) {
      const t = emptyTally();
      for (const { c, pred } of others) score(t, c, combine(c, pred, tau, tauNone, ambiguousOnly, nearestOf(mode)));
      // Ties go to the more cautious threshold (the later, higher one in the grid).
      if (objective(t) >= best.v) best = { v: objective(t), tau, tauNone };
    }
  return { tau: best.tau, tauNone: best.tauNone };
}

// ---------------------------------------------------------------------------------------------

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}` : '—');
const cell = (t: Tally) => `${pct(t.top1, t.inScope).padStart(5)} ${String(t.wrong).padStart(3)} ${String(t.oosAnswered).padStart(3)}/${String(t.outOfScope).padEnd(3)}`;

function table(title: string, rows: [string, Map<string, Tally>][]) {
  const files = sets.map((s) => s.name);
  console.log(`\n${title}\n(top-1 % of in-scope, in-scope answered with one wrong procedure, out of scope answered/out of scope)`);
  console.log(['variant'.padEnd(16), ...files.map((f) => f.replace(/^tune-?/, '') || 'tune').map((f) => f.padEnd(16)), 'pooled'].join(' '));
  for (const [name, byFile] of rows) {
    const pooled = emptyTally();
    for (const t of byFile.values()) for (const k of Object.keys(pooled) as (keyof Tally)[]) pooled[k] += t[k];
    console.log([name.padEnd(16), ...files.map((f) => cell(byFile.get(f) ?? emptyTally()).padEnd(16)), cell(pooled)].join(' '));
  }
}

function tallyBy(outcomes: { c: Case; o: Outcome }[]): Map<string, Tally> {
  const m = new Map<string, Tally>(sets.map((s) => [s.name, emptyTally()]));
  for (const { c, o } of outcomes) score(m.get(c.file)!, c, o);
  return m;
}

const v0 = tallyBy(cases.map((c) => ({ c, o: fromSearch(c) })));
const rows: [string, Map<string, Tally>][] = [['V0 search', v0]];
{
  // Where the search's in-scope misses are: only those behind a match or a "which of these?" set that holds the right one can a re-ordering fix.
  const m = { wrongMatch: 0, wrongMatchRightInTop3: 0, ambiguousRightIn: 0, ambiguousRightOut: 0, none: 0, smalltalk: 0 };
  for (const c of cases) {
    if (c.row.expect !== 'procedure') continue;
    const o = fromSearch(c);
    if (o.type === 'match' && o.procedure === c.row.procedure) continue;
    if (o.type === 'match') {
      m.wrongMatch++;
      if (c.candidates.includes(c.row.procedure!)) m.wrongMatchRightInTop3++;
    } else if (o.type === 'ambiguous') m[c.candidates.includes(c.row.procedure!) ? 'ambiguousRightIn' : 'ambiguousRightOut']++;
    else m[c.result.type === 'smalltalk' ? 'smalltalk' : 'none']++;
  }
  console.log(`search's in-scope misses: ${JSON.stringify(m)}`);
}
console.log(`search: ${(searchMs / cases.length).toFixed(1)} ms per message (query + top 3)`);

const makers: (() => Classifier)[] = [() => new NlpJs(), () => new LogReg()];
for (const make of makers) {
  const name = make().name;
  if (only && !only.includes(name)) continue;
  const preds = new Map<Case, Prediction>();
  let trainMs = 0;
  let predictMs = 0;
  let predicted = 0;
  let trained = 0;
  for (const set of sets) {
    const clf = make();
    const docs = [...cases.filter((c) => !kbOnly && c.file !== set.name && c.label !== undefined).map((c) => ({ text: c.row.text, label: c.label! })), ...extra];
    trained += docs.length;
    let t = performance.now();
    await clf.train(docs);
    trainMs += performance.now() - t;
    t = performance.now();
    for (const c of cases.filter((x) => x.file === set.name)) {
      preds.set(c, await clf.predict(c.row.text));
      predicted++;
    }
    predictMs += performance.now() - t;
    process.stderr.write(`${name}: ${set.name} done\n`);
  }
  console.log(`${name}: training ${(trainMs / sets.length / 1000).toFixed(2)} s per fold (${Math.round(trained / sets.length)} examples, ${extra.length} of them from the knowledge base), prediction ${(predictMs / predicted).toFixed(2)} ms per message`);

  // V1: the classifier alone; small talk rows are the search's (not counted, as in neither variant).
  const v1 = tallyBy(cases.map((c) => {
    const top = preds.get(c)!.ranked[0].label;
    return { c, o: top === NONE || top === '(unknown)' ? { type: 'none' } : { type: 'match', procedure: top } };
  }));
  rows.push([`V1 ${name}`, v1]);

  // V1θ: the classifier alone, answering none below a confidence θ chosen on the other files (same objective).
  const alone = (c: Case, theta: number): Outcome => {
    const top = preds.get(c)!.ranked[0];
    return top.label === NONE || top.label === '(unknown)' || top.p < theta ? { type: 'none' } : { type: 'match', procedure: top.label };
  };
  const thetas: string[] = [];
  const v1t: { c: Case; o: Outcome }[] = [];
  for (const set of sets) {
    let best = { v: -Infinity, theta: 0 };
    for (const theta of [0, ...GRID]) {
      const t = emptyTally();
      for (const c of cases) if (c.file !== set.name) score(t, c, alone(c, theta));
      if (objective(t) > best.v) best = { v: objective(t), theta };
    }
    thetas.push(String(best.theta));
    for (const c of cases) if (c.file === set.name) v1t.push({ c, o: alone(c, best.theta) });
  }
  rows.push([`V1θ ${name}`, tallyBy(v1t)]);
  console.log(`  V1θ ${name}: θ by LOFO ${thetas.join(', ')}`);

  // Allowed without answering from nothing: re-ranking the topics the search offers with its "none".
  {
    let searchFirst = 0;
    let clfFirst = 0;
    let n = 0;
    for (const c of cases) {
      if (c.row.expect !== 'procedure' || c.result.type !== 'none') continue;
      n++;
      if (c.result.nearest?.[0]?.procedureId === c.row.procedure) searchFirst++;
      if (preds.get(c)!.ranked.find((r) => r.label !== NONE && r.label !== '(unknown)')?.label === c.row.procedure) clfFirst++;
    }
    console.log(`  in-scope rows the search answers none (${n}): right procedure first among the offered topics: search's nearest ${searchFirst}, ${name}'s best procedure ${clfFirst}`);
  }

  // A fixed τ for the rescue (AN3: settle a "which of these?", rescue a «нет» to one of its three topics).
  for (const tau of GRID) {
    const t = emptyTally();
    for (const c of cases) score(t, c, combine(c, preds.get(c)!, tau, undefined, true, 3));
    console.log(`  AN3 τ=${tau}: top-1 ${t.top1}/${t.inScope}, one wrong ${t.wrong}, out of scope ${t.oosAnswered}/${t.outOfScope}`);
  }
  for (const mode of ['R', 'A', 'W', 'RW', 'N1', 'N3', 'AN1'] as Mode[]) {
    const outs: { c: Case; o: Outcome }[] = [];
    const chosen: string[] = [];
    let fixed = 0;
    let broken = 0;
    for (const set of sets) {
      const others = cases.filter((c) => c.file !== set.name).map((c) => ({ c, pred: preds.get(c)! }));
      const { tau, tauNone } = chooseTau(others, mode);
      chosen.push(`${set.name.replace(/^tune-?/, '') || 'tune'}: ${[tau !== undefined ? `τ=${tau}` : '', tauNone !== undefined ? `τn=${tauNone}` : ''].filter(Boolean).join(' ')}`);
      for (const c of cases.filter((x) => x.file === set.name)) {
        const o = combine(c, preds.get(c)!, tau, tauNone, mode === 'A' || mode === 'AN1', nearestOf(mode));
        const before = fromSearch(c);
        const ok = (x: Outcome) => (c.row.expect === 'none' ? x.type === 'none' : c.row.expect === 'procedure' && x.type === 'match' && x.procedure === c.row.procedure);
        if (JSON.stringify(o) !== JSON.stringify(before)) {
          if (ok(o) && !ok(before)) fixed++;
          else if (!ok(o) && ok(before)) broken++;
          if (process.argv.includes('--changes')) console.log(`  ${name} ${mode} ${ok(o) ? 'fixed ' : ok(before) ? 'BROKE ' : 'other '} «${c.row.text}» expected ${c.label ?? c.row.expect}; search ${JSON.stringify(before)} → ${JSON.stringify(o)} (p=${preds.get(c)!.ranked[0].p.toFixed(2)} ${preds.get(c)!.ranked[0].label})`);
        }
        outs.push({ c, o });
      }
    }
    rows.push([`V2${mode} ${name}`, tallyBy(outs)]);
    console.log(`  V2${mode} ${name}: ${fixed} fixed, ${broken} broken; thresholds by LOFO ${chosen.join(', ')}`);
  }
}

table('Leave one file out over the tuning side', rows);
