import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { KnowledgeBaseError } from '../loader.js';
import type { FoundBy } from '../decisions.js';
import type { KnowledgeBase, OutcomeNode, Procedure } from '../types.js';
import { Analyzer, contentWords, stem, type Analysis, type AnalyzerState } from './analyzer.js';
import { COUNT_WORDS } from './stopwords.js';
import { buildDocuments, FIELD_BOOST, FIELDS, faqKey, outcomeText, type Field, type SearchDocument } from './documents.js';
import { answersFigure, askedFigures, FACT_FIGURES, reportsBeyond, statedFigures, type StatedFigures } from '../understanding/figures.js';
import { DIGIT_NUMBER, numberValue } from '../understanding/numbers.js';
import { Prefiller, type PrefillState } from '../understanding/prefill.js';
import { asksAbout, quote, type Message } from '../understanding/message.js';
import { compilePhrase, messageTerms, stated, type Phrase, type Terms } from '../understanding/evidence.js';
import { smalltalk, type SmallTalk } from '../understanding/smalltalk.js';
import { operatorsOwn } from './operatorsOwn.js';
import { readFormValue, type FormValueReader } from '../understanding/formValues.js';
import { locate, type Answer } from '../engine.js';
import type { Lexicon } from './lexicon.js';
import { NONE, procedureExamples, TopicClassifier, type ClassifierState, type Example } from './classifier.js';

/** The ways the search chooses a match's procedure (see FOUND_BY in decisions.ts); the decision log records it. */
export type SearchFoundBy = Exclude<FoundBy, 'tap'>;

export interface SearchHit {
  procedureId: string;
  kind: 'procedure' | 'faq';
  title: string;
  /** One line: the procedure's summary, or the FAQ question. */
  description: string;
  /** Answers the message already gives (procedure), or the path to the FAQ answer (faq). */
  answers: Answer[];
  /** For a FAQ hit: the FAQ outcome node it answers. */
  faq?: string;
  /**
   * Values the message gives for fields of the outcome's fill-in form (form field id → value, e.g. the
   * survey question number), to pre-fill the form card.
   */
  values?: Record<string, string>;
  score: number;
  /** On a match's hit: how the search chose it (candidates to pick from carry none: the operator chooses). */
  foundBy?: SearchFoundBy;
}

export type SearchResult =
  | { type: 'match'; hit: SearchHit & { foundBy: SearchFoundBy } }
  | { type: 'ambiguous'; candidates: SearchHit[] }
  /** Not a question of the procedures: a greeting, thanks, a farewell or a question about the bot, answered with a short friendly reply. */
  | { type: 'smalltalk'; kind: SmallTalk }
  /** Nothing in the procedures; `nearest` are at most a few topics to offer (never an answer). */
  | { type: 'none'; nearest?: SearchHit[] };

/** Search data from kb/search: synonym families and extra phrases per procedure (or `procedureId/faqNodeId`). */
export interface SearchData {
  synonyms: string[][];
  extra?: Record<string, string[]>;
  /** Form fields read from the message: `formId/fieldId` → reader. */
  formValues?: Record<string, FormValueReader>;
  /**
   * Per procedure: what a message must state for the procedure to answer it — phrases one of which
   * it states, or groups of phrases, one of each (who calls and what about).
   */
  requires?: Record<string, string[] | string[][]>;
  /** Per procedure: phrases that say the situation is another one; a message stating one is never its answer. */
  excludes?: Record<string, string[]>;
  /** Per procedure: phrases that make it the answer over other procedures that fit. */
  prefer?: Record<string, string[]>;
  /** Labelled messages (kb/examples) the second opinion on the procedure learns from. */
  examples?: Example[];
}

/** `requires` as groups: a flat list is one group (one of its phrases), a list of lists one phrase of every group. */
export const asGroups = (list: readonly string[] | readonly string[][]): string[][] =>
  list.every((x) => typeof x === 'string') ? [list as string[]] : (list as string[][]);

/** How results are accepted and told apart; the defaults are calibrated on the tuning side (kb/examples). */
export interface SearchTuning {
  /** Share of the message's weighted terms a document must contain to count at all. */
  minCoverage: number;
  /** Candidates scoring at least this share of the best are "close": more than one close → ambiguous. */
  closeRatio: number;
  /** Weight of a message word the knowledge base does not know, relative to the rarest known term. */
  unknownWeight: number;
  /** How strongly coverage scales the BM25 score when ranking. */
  coveragePower: number;
  /** Below this share of the best, a runner-up from another procedure does not stop answers being taken from the message. */
  prefillMargin: number;
  /** Least ranking score (BM25 per unit of message weight × coverage^power) a document needs to count at all. */
  minScore: number;
  /**
   * Least coverage of a document that shares only one informative term with the message (a term in
   * fewer than ~37 % of documents): «баланс клиента» is about balance, «как проверить баланс» may not be.
   */
  singleTermCoverage: number;
}

export const DEFAULT_TUNING: SearchTuning = { minCoverage: 0.3, closeRatio: 0.8, unknownWeight: 0.8, coveragePower: 2, minScore: 2, singleTermCoverage: 0.65, prefillMargin: 0.5 };

const MAX_CANDIDATES = 3;
/** Candidates down to this share of the best are looked at for the same outcome reached by more of the message. */
const EQUIVALENT_RATIO = 0.5;
/** How much a term found only in a field counts toward coverage: outcome text is weaker evidence than a trigger. */
const COVERAGE_FIELD: Record<Field, number> = { title: 1, triggers: 1, summary: 1, section: 1, questions: 0.85, outcomes: 0.7 };
/** How many full-text results are re-ranked by coverage. */
const RERANK = 12;
/**
 * The classifier's probability from which it settles the search's "which of these?" (the message has
 * words of both, so it must be sure: «кейс закрыт» is 0.63 case-states, 0.35 the repeat inquiry, and
 * is asked) and from which it names one of the nearest topics of a message no document covers enough
 * of (the alternative is no answer). Chosen on the tuning side, each file measured with a classifier
 * that never saw it (eval:search --tune --unseen, twelve writers): from 0.8 to 0.6 for the rescue, the
 * same out-of-scope messages answered and wrong pre-fills given, more procedures right; 0.5 one wrong
 * pre-fill more.
 */
const SETTLE = 0.8;
const RESCUE = 0.6;
/**
 * A term in more than this many documents is not used to look documents up (it still counts for
 * coverage): on a large knowledge base its long posting list costs most of the time and it hardly
 * tells documents apart. The message's rarest term is always looked up.
 */
const COMMON_DOCS = 150;
const MIN_LOOKUP_TERMS = 1;
/** A term weighing this much (inverse document frequency; in fewer than ~37 % of documents) tells documents apart. */
const INFORMATIVE_WEIGHT = 1;

interface Scored {
  doc: SearchDocument;
  coverage: number;
  rank: number;
}

/** A full-text result before the thresholds: how much of the message it covers, and with how many informative terms. */
interface Measured extends Scored {
  informative: number;
}

/**
 * One query's reading, worked out once however many candidates look at it: the message (words,
 * typos corrected), its search terms, its folded evidence terms, the measured full-text results,
 * the answers each procedure takes from it, each candidate's hit and the outcome each hit reaches.
 */
interface Query {
  text: string;
  message: Message;
  analysis: Analysis;
  terms: Terms;
  measured?: Measured[];
  prefills: Map<string, Answer[]>;
  hits: Map<number, SearchHit>;
  reached: Map<SearchHit, OutcomeNode | undefined>;
  /** The classifier's labels for the message, best first, worked out when first asked. */
  likely?: { label: string; p: number }[];
}

/**
 * Counts say nothing about the topic («3 предложения», «1е», «два раза»): not searched. Ordinal
 * words are («второй линии», «первого приоритета»).
 */
const COUNT_STEMS = new Set([...COUNT_WORDS].map(stem));
const isCount = (term: string) => COUNT_STEMS.has(term) || DIGIT_NUMBER.test(term);
const splitTerms = (s: string) => s.split(' ').filter(Boolean);
/** A match, saying how the search chose it (a copy: hits are shared within a query). */
const match = (hit: SearchHit, foundBy: SearchFoundBy): SearchResult => ({ type: 'match', hit: { ...hit, foundBy } });

type IndexRow = { id: number } & Record<string, string | number>;

/** The full-text index's settings: the same for an index built and one loaded. */
const INDEX_OPTIONS: Options<IndexRow> = {
  fields: FIELDS,
  idField: 'id',
  tokenize: splitTerms,
  processTerm: (t) => t,
  searchOptions: { boost: { ...FIELD_BOOST }, combineWith: 'OR' },
};

/** What {@link KnowledgeSearch.built} gives: the analyzed knowledge base, to be loaded by a later start. */
export interface BuiltSearch {
  analyzer: AnalyzerState;
  index: AsPlainObject;
  df: Map<string, number>;
  termFactors: Map<string, number>[];
  prefill: PrefillState;
  requires: Map<string, Phrase[][]>;
  excludes: Map<string, Phrase[]>;
  prefer: Map<string, Phrase[]>;
  classifier?: ClassifierState;
}

/**
 * Free-text search over the knowledge base: procedures and FAQ answers, found by stems, synonyms
 * and near spellings. Pure: it gets the knowledge base and search data, reads no files. The index
 * is built once here; a query is one full-text lookup plus a re-rank of a dozen results.
 */
export class KnowledgeSearch {
  private readonly analyzer: Analyzer;
  private readonly docs: SearchDocument[];
  private readonly index: MiniSearch<IndexRow>;
  /** Documents each term occurs in, for term weights. */
  private readonly df: Map<string, number> = new Map();
  /** Per document: its terms, each with the coverage factor of the best field it occurs in. */
  private readonly termFactors: Map<string, number>[] = [];
  private readonly maxIdf: number;
  private readonly procedures = new Map<string, Procedure>();
  /** FAQ entries by `procedureId/nodeId`. */
  private readonly faqDocs = new Map<string, SearchDocument>();
  private readonly faqProcedures = new Set<string>();
  private readonly prefiller: Prefiller;
  private readonly tuning: SearchTuning;
  /** Per procedure: what a message must state for it to be the answer (kb/search `requires`): one phrase of each group. */
  private readonly requires: Map<string, Phrase[][]> = new Map();
  private readonly excludes: Map<string, Phrase[]> = new Map();
  private readonly prefer: Map<string, Phrase[]> = new Map();
  /** Per procedure: the figures its outcome cards state (a price, a count, a period…), for questions asking one. */
  private readonly figures = new Map<string, StatedFigures>();
  /** Per FAQ entry (by {@link faqKey}): the figures its own card states. */
  private readonly entryFigures = new Map<string, StatedFigures>();
  /** Readers per form id: field id → reader. */
  private readonly formReaders = new Map<string, [string, FormValueReader][]>();
  /** The second opinion on the procedure, learned from kb/examples (none without examples). */
  private readonly classifier?: TopicClassifier;

  /**
   * With a lexicon (see {@link Analyzer}), a typo is corrected only in a word that is no word of its
   * own. With `built`, what {@link built} gave for the same knowledge base, search data and code,
   * the index is loaded instead of analyzed again (the start's cache, src/bot/kbCache.ts).
   */
  constructor(kb: KnowledgeBase, data: SearchData, tuning: Partial<SearchTuning> = {}, lexicon?: Lexicon, built?: BuiltSearch) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    for (const p of kb.procedures) {
      this.procedures.set(p.id, p);
      this.figures.set(p.id, statedFigures(Object.values(p.nodes).flatMap((n) => (n.type === 'outcome' ? outcomeText(n) : []))));
      for (const [id, n] of Object.entries(p.nodes)) if (n.type === 'outcome' && n.kind === 'faq') this.entryFigures.set(faqKey(p.id, id), statedFigures(outcomeText(n)));
    }
    this.checkExtra(data.extra ?? {});
    this.checkFormValues(kb, data.formValues ?? {});

    this.analyzer = new Analyzer(data.synonyms, lexicon, built?.analyzer);
    this.docs = buildDocuments(kb, data.extra);
    for (const doc of this.docs) {
      if (doc.kind !== 'faq' || !doc.nodeId) continue;
      this.faqDocs.set(faqKey(doc.procedureId, doc.nodeId), doc);
      this.faqProcedures.add(doc.procedureId);
    }
    const known = (what: string, id: string) => {
      if (!this.procedures.has(id)) throw new KnowledgeBaseError([`kb/search: ${what} for "${id}": no procedure "${id}" in the knowledge base`]);
    };
    for (const what of ['excludes', 'prefer', 'requires'] as const) for (const id of Object.keys(data[what] ?? {})) known(what, id);
    const unknown = (data.examples ?? []).filter((e) => e.label !== NONE && !this.procedures.has(e.label));
    if (unknown.length > 0) throw new KnowledgeBaseError(unknown.map((e) => `${e.at ?? 'kb/examples'}: no procedure "${e.label}" in the knowledge base`));
    const terms = (text: string) => this.wordingTerms(text);
    if (built?.classifier) this.classifier = TopicClassifier.restore(built.classifier, terms);
    if (built) {
      this.index = MiniSearch.loadJS(built.index, INDEX_OPTIONS);
      this.df = built.df;
      this.termFactors = built.termFactors;
      this.maxIdf = this.idf(1);
      this.prefiller = new Prefiller(kb.procedures, this.analyzer, built.prefill);
      this.requires = built.requires;
      this.excludes = built.excludes;
      this.prefer = built.prefer;
      return;
    }
    this.index = new MiniSearch(INDEX_OPTIONS);
    const rows = this.docs.map((doc) => {
      const row: IndexRow = { id: doc.id };
      const factors = new Map<string, number>();
      for (const field of FIELDS) {
        const parts = doc.text[field].map((text) => {
          this.analyzer.learn(contentWords(text));
          const tokens = this.analyzer.analyze(text).tokens.map((t) => t.term);
          for (const t of tokens) factors.set(t, Math.max(factors.get(t) ?? 0, COVERAGE_FIELD[field]));
          return tokens.join(' ');
        });
        row[field] = parts.join(' ');
      }
      for (const t of factors.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.termFactors[doc.id] = factors;
      return row;
    });
    this.index.addAll(rows);
    this.maxIdf = this.idf(1);
    this.prefiller = new Prefiller(kb.procedures, this.analyzer);
    const compile = (phrases: readonly string[]) => phrases.map((t) => compilePhrase(this.analyzer, t));
    for (const [what, map] of [['excludes', this.excludes], ['prefer', this.prefer]] as const)
      for (const [id, phrases] of Object.entries(data[what] ?? {})) map.set(id, compile(phrases));
    for (const [id, groups] of Object.entries(data.requires ?? {})) this.requires.set(id, asGroups(groups).map(compile));
    // Trained after the index: the analyzer reads a message's terms with every word of the base learned.
    if (data.examples?.length) this.classifier = TopicClassifier.train([...data.examples, ...procedureExamples(kb)], terms);
  }

  /**
   * Everything the constructor worked out from the knowledge base, as plain data (objects, arrays,
   * Maps and Sets: what `v8.serialize` keeps), for a later constructor call with the same inputs.
   */
  built(): BuiltSearch {
    return {
      analyzer: this.analyzer.state(),
      index: this.index.toJSON(),
      df: this.df,
      termFactors: this.termFactors,
      prefill: this.prefiller.state(),
      requires: this.requires,
      excludes: this.excludes,
      prefer: this.prefer,
      ...(this.classifier ? { classifier: this.classifier.state() } : {}),
    };
  }

  /** Form values must name a field of a form of the knowledge base. */
  private checkFormValues(kb: KnowledgeBase, formValues: Record<string, FormValueReader>) {
    if (!kb.forms) return; // a knowledge base built without forms
    const problems: string[] = [];
    for (const [key, reader] of Object.entries(formValues)) {
      const [formId, fieldId] = key.split('/');
      const form = kb.forms.find((f) => f.id === formId);
      if (!form) problems.push(`kb/search: form values for "${key}": no form "${formId}" in the knowledge base`);
      else if (!form.fields.some((f) => f.id === fieldId)) problems.push(`kb/search: form values for "${key}": form "${formId}" has no field "${fieldId}"`);
      else this.formReaders.set(formId, [...(this.formReaders.get(formId) ?? []), [fieldId, reader]]);
    }
    if (problems.length > 0) throw new KnowledgeBaseError(problems);
  }

  /** Extra phrases must name a procedure of the knowledge base, or one of its FAQ entries. */
  private checkExtra(extra: Record<string, string[]>) {
    const problems: string[] = [];
    for (const key of Object.keys(extra)) {
      const [procedureId, nodeId] = key.split('/');
      const p = this.procedures.get(procedureId);
      if (!p) problems.push(`kb/search: extra phrases for "${key}": no procedure "${procedureId}" in the knowledge base`);
      else if (nodeId !== undefined) {
        const node = p.nodes[nodeId];
        if (!Object.prototype.hasOwnProperty.call(p.nodes, nodeId) || node.type !== 'outcome' || node.kind !== 'faq')
          problems.push(`kb/search: extra phrases for "${key}": procedure "${procedureId}" has no faq outcome "${nodeId}"`);
      }
    }
    if (problems.length > 0) throw new KnowledgeBaseError(problems);
  }

  private idf(df: number): number {
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** How much a term of the message counts toward coverage: rare terms more, unknown words a fixed share. */
  private weight(term: string): number {
    const df = this.df.get(term);
    return df ? this.idf(df) : this.maxIdf * this.tuning.unknownWeight;
  }

  /**
   * The terms search reads in a text: stems of the content words, synonym families folded,
   * look-alike letters and typos corrected. Two wordings with the same terms mean the same to search.
   */
  wordingTerms(text: string): string[] {
    return this.analyzer.analyze(text, true).tokens.map((t) => t.term);
  }

  /**
   * What a message is about: small talk; one hit (with the answers the message states and the form
   * values it gives), also when close candidates are one situation in two procedures and one answers
   * both parts; two or three close candidates (no answers taken); or none when nothing covers enough
   * of the message, with at most three nearest topics.
   */
  query(text: string): SearchResult {
    const q = this.read(text);
    const kind = smalltalk(q.message, (stem) => this.analyzer.knows(stem));
    if (kind) return { type: 'smalltalk', kind };
    const result = this.answer(q);
    const found = result.type === 'match' ? [result.hit] : result.type === 'ambiguous' ? result.candidates : [];
    if (found.length > 0 && (this.asksUnstated(q, found) || this.operatorsOwn(q, found))) return this.nothing(q);
    return result.type === 'match' ? match(this.entryAsked(q, result.hit), result.hit.foundBy) : result;
  }

  /**
   * A FAQ entry found by its words alone («сколько длится кампания INBA на номере» shares «кампания на номере»
   * with the low-balance entry) while the message asks a figure its card does not state: the entry does not
   * answer it, so the list asks which question it is (its «not covered» entry among them). An entry the
   * message reaches through an option's evidence keeps it.
   */
  private entryAsked(q: Query, hit: SearchHit): SearchHit {
    if (hit.kind !== 'faq' || !hit.faq || this.prefilled(q, this.procedures.get(hit.procedureId)!).length > 0) return hit;
    const stated = this.entryFigures.get(faqKey(hit.procedureId, hit.faq));
    const asked = askedFigures(q.message);
    if (!stated || !asked.some((a) => !answersFigure(stated, a))) return hit;
    const list = this.docs.find((d) => d.kind === 'procedure' && d.procedureId === hit.procedureId);
    return list ? { ...this.hit({ doc: list, coverage: 0, rank: hit.score }), answers: [] } : hit;
  }

  /**
   * The operator's own situation (their home internet, their CRM failing, a colleague, their pay) found
   * by its topic words: no procedure's caller. A FAQ list still answers: it holds the operator's own questions.
   */
  private operatorsOwn(q: Query, hits: readonly SearchHit[]): boolean {
    return operatorsOwn(q.message) !== undefined && hits.every((h) => !this.faqProcedures.has(h.procedureId));
  }

  /** «нет в процедурах», with at most three nearest topics to offer. */
  private nothing(q: Query): SearchResult {
    const likely = new Map(this.likely(q).map((x) => [x.label, x.p]));
    // Offered most likely first: the classifier orders a writer's topics better than shared words do.
    const nearest = this.candidates(q, MAX_CANDIDATES, true)
      .map((s) => this.hit(s))
      .sort((a, b) => (likely.get(b.procedureId) ?? 0) - (likely.get(a.procedureId) ?? 0));
    return nearest.length > 0 ? { type: 'none', nearest } : { type: 'none' };
  }

  /**
   * A price, speed, count, period or person the message asks for («сколько стоит подключение IPTV»,
   * «кто составляет анкеты») that no outcome card of any found procedure states, while none of them
   * takes an answer from a message that reports the call beyond the question: the procedures were
   * found by the other words of the question, and they do not answer it.
   */
  private asksUnstated(q: Query, hits: readonly SearchHit[]): boolean {
    const asked = askedFigures(q.message);
    if (asked.length === 0) return false;
    const beyond = reportsBeyond(q.message, asked);
    const unstated = (h: SearchHit) => asked.filter((a) => !answersFigure(this.figures.get(h.procedureId)!, a));
    // A FAQ list is the operator's own questions on its subject: one it does not hold is its «not covered» entry —
    // but not a phone number or a limit no entry states (a fact of its own, asked of another thing).
    const answers = (h: SearchHit) =>
      (this.faqProcedures.has(h.procedureId) && !unstated(h).some((a) => FACT_FIGURES.has(a.kind))) || (beyond && this.prefilled(q, this.procedures.get(h.procedureId)!).length > 0);
    return hits.every((h) => !answers(h) && unstated(h).length > 0);
  }

  /** {@link query} past small talk: one hit, close candidates, or none. */
  private answer(q: Query): SearchResult {
    const ranked = this.entryOverList(this.preferred(q, this.candidates(q, RERANK)));
    if (ranked.length === 0) {
      const evidenced = this.evidenced(q);
      if (evidenced) return match(evidenced, 'evidenced');
      return this.rescued(q) ?? this.nothing(q);
    }
    const close = ranked.filter((s) => s.rank >= ranked[0].rank * this.tuning.closeRatio);
    const equivalent = ranked.filter((s) => s.rank >= ranked[0].rank * EQUIVALENT_RATIO);
    const hits = equivalent.map((s) => this.hit(s, q));
    const below = ranked.slice(equivalent.length);
    if (close.length === 1) {
      const hit = this.fullest(q, hits, below);
      // A runner-up from another procedure close behind: the procedure may be wrong, so take no answers from the message.
      const rival = ranked.find((s) => s.doc.procedureId !== hit.procedureId);
      if (rival && rival.rank >= ranked[0].rank * this.tuning.prefillMargin && this.rivals(q, hit, rival)) return match({ ...hit, answers: [], values: undefined }, 'rules');
      return match(hit, 'rules');
    }
    const both = this.carryingBoth(q, hits.slice(0, close.length)) ?? this.askingOne(q, hits.slice(0, close.length));
    if (both) return match(this.fullest(q, [both, ...hits.filter((h) => h !== both)], below), 'rules');
    const settled = this.secondOpinion(q, close.slice(0, MAX_CANDIDATES));
    if (settled) return match(settled, 'secondOpinion');
    return { type: 'ambiguous', candidates: close.slice(0, MAX_CANDIDATES).map((s) => this.hit(s)) };
  }

  /** The classifier's labels for the query's message, once per message (a «нет» after a rescue tried asks again). */
  private likely(q: Query): { label: string; p: number }[] {
    return (q.likely ??= this.classifier?.predict(q.text) ?? []);
  }

  /**
   * The one of `scored` the classifier names with confidence: its pick among the search's own
   * candidates, never a procedure the search did not find. One document of that procedure only (a FAQ
   * list and one of its entries both found: the search's choice stands).
   */
  private secondOpinion(q: Query, scored: readonly Scored[], floor = SETTLE): SearchHit | undefined {
    const best = this.likely(q)[0];
    if (!best || best.label === NONE || best.p < floor) return undefined;
    const picked = scored.filter((s) => s.doc.procedureId === best.label);
    return picked.length === 1 ? this.hit(picked[0], q) : undefined;
  }

  /**
   * A message no document covers enough of, when the classifier names with confidence one of its
   * nearest topics that `requires` and `excludes` allow: the operator's words differ from the
   * procedure's, and writers' messages labelled in kb/examples say which procedure such words ask.
   */
  private rescued(q: Query): SearchResult | undefined {
    if (!this.classifier) return undefined;
    const hit = this.secondOpinion(q, this.candidates(q, MAX_CANDIDATES, true, true).filter((s) => !this.faqProcedures.has(s.doc.procedureId)), RESCUE);
    return hit ? match(hit, 'rescued') : undefined;
  }

  /**
   * When nothing covers enough of the message, the procedure it reaches through the procedure's own
   * evidence: filler words dilute coverage («аб матерится через слово», «кл матерится, звонит сегодня
   * уже 3 раз»), but an option's evidence stated — not negated, supposed or asked — says what the
   * message is about. Only when that procedure is the best full-text result, no other nearby one
   * (loose candidates, `requires` and `excludes` kept) takes an answer, and no evidence stands in a
   * clause that asks with a question word («какая гарантия на телевизор», «как поменять пароль от
   * личного кабинета»: asked about, not reported).
   */
  private evidenced(q: Query): SearchHit | undefined {
    const taking = this.candidates(q, RERANK, true, true).filter((s) => this.prefilled(q, this.procedures.get(s.doc.procedureId)!).length > 0);
    const id = taking[0]?.doc.procedureId;
    if (id === undefined || taking.some((s) => s.doc.procedureId !== id) || this.measured(q)[0].doc.procedureId !== id) return undefined;
    const spans = this.prefilled(q, this.procedures.get(id)!).map((a) => this.prefiller.span(a)!);
    if (spans.some((s) => asksAbout(q.message, s.from))) return undefined;
    const hit = this.hit(taking[0], q);
    // A number no answer reads («звонит третий раз за неделю») may count another situation than the one the
    // answers take (calls, not repeats within one), so the answers are asked; a FAQ entry keeps its path.
    const unread = q.message.words.some((w, i) => numberValue(w.word) !== undefined && !spans.some((s) => s.from <= i && i <= s.to));
    return unread && hit.kind === 'procedure' ? { ...hit, answers: [], values: undefined } : hit;
  }

  /**
   * A FAQ list close behind or ahead of exactly one of its own entries is that entry: the message asks
   * one question of the list («сотрудники 2 линии делают предложения инба?»), and the entry answers it.
   */
  private entryOverList(ranked: Scored[]): Scored[] {
    if (ranked.length < 2) return ranked;
    const close = ranked.filter((s) => s.rank >= ranked[0].rank * this.tuning.closeRatio);
    const drop = close.filter((list) => list.doc.kind === 'procedure' && close.filter((e) => e.doc.kind === 'faq' && e.doc.procedureId === list.doc.procedureId).length === 1);
    return drop.length === 0 ? ranked : ranked.filter((s) => !drop.includes(s));
  }

  /** The best `k` hits for a message however close they are (for evaluation and "did you mean"); no prefill. */
  top(text: string, k = MAX_CANDIDATES): SearchHit[] {
    return this.candidates(this.read(text), k).map((s) => this.hit(s));
  }

  /** Reads a message once: its words (typos corrected) give both its search terms and its evidence terms. */
  private read(text: string): Query {
    const message = this.prefiller.read(text);
    const analysis = { stems: message.content.map((i) => message.words[i].stem), tokens: [] as Analysis['tokens'] };
    analysis.tokens = this.analyzer.fold(analysis.stems);
    return { text, message, analysis, terms: messageTerms(this.analyzer, message), prefills: new Map(), hits: new Map(), reached: new Map() };
  }

  /**
   * The best `k` documents, each once: a FAQ list whose answers the message already picks counts as
   * that FAQ entry, and a FAQ list ranked below one of its own entries is dropped (the entry is the hit).
   */
  private candidates(q: Query, k: number, loose = false, gated = !loose): Scored[] {
    const out: Scored[] = [];
    const says = (p: Phrase) => stated(q.terms, p).length > 0;
    const allowed = (id: string) => (this.requires.get(id) ?? []).every((group) => group.some(says)) && !(this.excludes.get(id) ?? []).some(says);
    for (const s of this.ranked(q, loose)) {
      if (out.length === k) break;
      if (gated && !allowed(s.doc.procedureId)) continue;
      // A FAQ list whose answers the message picks is that entry; so is an entry when the message states another one,
      // and an entry the message does not tell from another is the list.
      const faq = this.faqReached(q, s.doc);
      const doc = faq ?? this.untold(s.doc, q) ?? s.doc;
      if (out.some((c) => c.doc === doc)) continue;
      if (doc.kind === 'procedure' && out.some((c) => c.doc.kind === 'faq' && c.doc.procedureId === doc.procedureId)) continue;
      out.push(doc === s.doc ? s : { ...s, doc });
    }
    return out;
  }

  /**
   * The FAQ list, for an entry found by words alone that another entry of the list has as well
   * («упущенка?»: one entry asks it, another answers «упущенной продажей это не будет»): the message
   * does not say which entry it asks, so the list asks.
   */
  private untold(doc: SearchDocument, q: Query): SearchDocument | undefined {
    if (doc.kind !== 'faq') return undefined;
    const own = this.termFactors[doc.id];
    const shared = [...new Set(q.analysis.tokens.map((t) => t.term))].filter((t) => !isCount(t) && own.has(t));
    const told = [...this.faqDocs.values()].every((e) => e === doc || e.procedureId !== doc.procedureId || !shared.every((t) => this.termFactors[e.id].has(t)));
    return told ? undefined : this.docs.find((d) => d.kind === 'procedure' && d.procedureId === doc.procedureId);
  }

  /** The answers a procedure takes from the query's message, worked out once per procedure. */
  private prefilled(q: Query, p: Procedure): Answer[] {
    let answers = q.prefills.get(p.id);
    if (!answers) q.prefills.set(p.id, (answers = this.prefiller.prefill(p, q.message)));
    return answers;
  }

  /** The FAQ entry a procedure's prefilled answers lead to, if they lead to one. */
  private faqReached(q: Query, doc: SearchDocument): SearchDocument | undefined {
    const p = this.procedures.get(doc.procedureId)!;
    if (!this.faqProcedures.has(p.id)) return undefined;
    const answers = this.prefilled(q, p);
    if (answers.length === 0) return undefined;
    const last = answers[answers.length - 1];
    const node = p.nodes[last.nodeId];
    const next = node?.type === 'question' ? node.options.find((o) => o.id === last.optionId)?.next : undefined;
    return next === undefined ? undefined : this.faqDocs.get(faqKey(p.id, next));
  }

  /**
   * Documents that cover enough of the message, best first: a full-text lookup (BM25, boosted fields)
   * re-ranked by coverage — the share of the message's weighted terms the document contains.
   */
  private ranked(q: Query, loose = false): Scored[] {
    // Loose: nearest topics to offer when nothing is an answer; one informative shared term is enough.
    const kept = (m: Measured) =>
      loose ? m.informative > 0 : !((m.informative < 2 && m.coverage < this.tuning.singleTermCoverage) || m.coverage < this.tuning.minCoverage || m.rank < this.tuning.minScore);
    return this.measured(q)
      .filter(kept)
      .map(({ doc, coverage, rank }) => ({ doc, coverage, rank }));
  }

  /** The full-text results for the message, measured once per query and sorted by rank. */
  private measured(q: Query): Measured[] {
    if (q.measured) return q.measured;
    const terms = [...new Set(q.analysis.tokens.map((t) => t.term))].filter((t) => !isCount(t));
    const weights = new Map(terms.map((t) => [t, this.weight(t)]));
    const total = [...weights.values()].reduce((a, b) => a + b, 0);

    const known = terms.filter((t) => this.df.has(t)).sort((a, b) => this.df.get(a)! - this.df.get(b)!);
    const lookup = known.filter((t, i) => i < MIN_LOOKUP_TERMS || this.df.get(t)! <= COMMON_DOCS);
    const out: Measured[] = [];
    const results = lookup.length === 0 ? [] : this.index.search(lookup.join(' '), { tokenize: splitTerms });
    for (const r of results.slice(0, RERANK)) {
      const factors = this.termFactors[r.id as number];
      let matched = 0;
      let informative = 0;
      for (const [t, w] of weights) {
        const f = factors.get(t);
        if (f === undefined) continue;
        matched += w * f;
        if (w >= INFORMATIVE_WEIGHT) informative++;
      }
      const coverage = matched / total;
      // BM25 per unit of the message's weight, so long and short messages compare; scaled by coverage.
      const rank = (r.score / total) * coverage ** this.tuning.coveragePower;
      out.push({ doc: this.docs[r.id as number], coverage, rank, informative });
    }
    return (q.measured = out.sort((a, b) => b.rank - a.rank));
  }

  /** A hit; with the query, a procedure hit carries the answers the message already gives (built once per document). */
  private hit(s: Scored, q?: Query): SearchHit {
    const { doc } = s;
    const built = q?.hits.get(doc.id);
    if (built) return built;
    const p = this.procedures.get(doc.procedureId)!;
    // A FAQ candidate carries the path to its entry (tapped when picked; taken from the message when it is the match).
    const answers = doc.kind === 'faq' ? (q ? this.faqAnswers(q, doc) : doc.answers) : q ? this.prefilled(q, p) : [];
    let hit: SearchHit = { procedureId: doc.procedureId, kind: doc.kind, title: doc.title, description: doc.description, answers, ...(doc.nodeId ? { faq: doc.nodeId } : {}), score: Math.round(s.rank * 1000) / 1000 };
    const values = q && this.values(q, hit);
    if (values) hit = { ...hit, values };
    q?.hits.set(doc.id, hit);
    return hit;
  }

  /** The outcome a hit's answers reach, if they reach one (a check node on the way: not yet); located once per hit. */
  private reached(q: Query, hit: SearchHit): OutcomeNode | undefined {
    if (q.reached.has(hit)) return q.reached.get(hit);
    let node: OutcomeNode | undefined;
    try {
      const position = locate(this.procedures.get(hit.procedureId)!, hit.answers);
      node = position.type === 'outcome' ? position.node : undefined;
    } catch {
      node = undefined;
    }
    q.reached.set(hit, node);
    return node;
  }

  /**
   * One situation in two procedures («бросил анкету на середине, что ставить и что писать»): when
   * every close candidate's answers reach an outcome with the same comment form, they are one
   * answer; the best-ranked one is it (the survey outcomes carry the call result with the form).
   */
  private carryingBoth(q: Query, hits: SearchHit[]): SearchHit | undefined {
    const forms = hits.map((h) => this.reached(q, h)?.form);
    return forms[0] !== undefined && forms.every((f) => f === forms[0]) ? hits[0] : undefined;
  }

  /**
   * Close candidates that all ask the same question next, or all reach the very same card, are one
   * screen: the one taking most of the message is it («уже отвечал … субъект, анкета и госномер
   * совпали» reaches «по аналогии» through survey-refusal and survey-duplicate-result alike).
   */
  private askingOne(q: Query, hits: SearchHit[]): SearchHit | undefined {
    const asked = hits.map((h) => this.askedKey(q, h) ?? this.cardKey(q, h));
    if (asked[0] === undefined || !asked.every((a) => a === asked[0])) return undefined;
    return hits.reduce((a, b) => (b.answers.length > a.answers.length ? b : a));
  }

  /**
   * Of hits whose answers reach the same outcome (the same call result, form or headline), the one
   * that takes more of the message: «уже проходил опрос … анкета не совпадает» is the survey-refusal
   * walk through «уже проходил» to the mismatch, not the duplicate-result procedure's one answer.
   * Candidates ranked further `below` count only when they reach the very same card (headline, call
   * result, form and comment): then the answer does not change, only how much of the message it shows.
   * `hits[0]` is the answer otherwise.
   */
  private fullest(q: Query, hits: SearchHit[], below: readonly Scored[]): SearchHit {
    const want = this.outcomeKey(q, hits[0]);
    const card = want === undefined ? this.askedKey(q, hits[0]) : this.cardKey(q, hits[0]);
    if (card === undefined) return hits[0];
    const same =
      want === undefined
        ? [...hits, ...below.map((s) => this.hit(s, q))].filter((h) => this.askedKey(q, h) === card)
        : [...hits.filter((h) => this.outcomeKey(q, h) === want), ...below.map((s) => this.hit(s, q)).filter((h) => this.cardKey(q, h) === card)];
    return same.reduce((a, b) => (b.answers.length > a.answers.length ? b : a));
  }

  /**
   * The question a hit's answers stop at, as the operator reads it. Two procedures that ask the very
   * same question next are one screen: survey-refusal through «уже проходил» asks what
   * survey-duplicate-result starts with, with the situation taken from the message as well.
   */
  private askedKey(q: Query, hit: SearchHit): string | undefined {
    if (this.reached(q, hit)) return undefined;
    try {
      const position = locate(this.procedures.get(hit.procedureId)!, hit.answers);
      return position.type === 'question' ? position.node.text : undefined;
    } catch {
      return undefined;
    }
  }

  /** The card a hit's answers reach, as what the operator reads on it; undefined while a question is open. */
  private cardKey(q: Query, hit: SearchHit): string | undefined {
    const o = this.reached(q, hit);
    return o && JSON.stringify([o.headline, o.callResult, o.form, o.comment, o.phrases]);
  }

  /** What makes two reached outcomes the same for the operator: the call result, form or headline. */
  private outcomeKey(q: Query, hit: SearchHit): string | undefined {
    const o = this.reached(q, hit);
    return o && (o.callResult ?? o.form ?? o.headline);
  }

  /**
   * Candidates with a procedure the message prefers (kb/search `prefer`) alone, when one fits at all;
   * else all. A preferred procedure whose requirements the message meets is a candidate even when it
   * covers too little of the message to rank: «водитель возил … какой коммент писать» asks for the comment.
   * Its answers are taken as any procedure's are, each on its own evidence: the phrase that made it
   * preferred (seed 001's «можно прервать…») names the procedure, and «клиента не слышно» still states
   * its situation.
   */
  private preferred(q: Query, ranked: Scored[]): Scored[] {
    if (this.prefer.size === 0) return ranked;
    const says = (p: Phrase) => stated(q.terms, p).length > 0;
    const only = (list: Scored[]) => list.filter((s) => this.prefer.get(s.doc.procedureId)?.some(says));
    const chosen = only(ranked);
    if (chosen.length > 0) return chosen;
    if (![...this.prefer.values()].some((list) => list.some(says))) return ranked;
    const near = only(this.candidates(q, RERANK, true, true));
    return near.length > 0 ? near : ranked;
  }

  /**
   * Whether a runner-up of another procedure casts doubt on the hit's answers: it takes as much of
   * the message as the hit does, and its answers do not reach the same outcome.
   */
  private rivals(q: Query, hit: SearchHit, rival: Scored): boolean {
    const other = this.hit(rival, q);
    if (other.answers.length < hit.answers.length) return false;
    const key = this.outcomeKey(q, hit);
    return !(key !== undefined && key === this.outcomeKey(q, other));
  }

  /** Form field values the message gives for the outcome its answers reach. */
  private values(q: Query, hit: SearchHit): Record<string, string> | undefined {
    const form = this.reached(q, hit)?.form;
    const values: Record<string, string> = {};
    for (const [field, reader] of (form && this.formReaders.get(form)) || []) {
      const value = readFormValue(reader, q.message);
      if (value !== undefined) values[field] = value;
    }
    return Object.keys(values).length > 0 ? values : undefined;
  }

  /** A FAQ entry's path, taken from the message: the evidence is the words the entry shares with it. */
  private faqAnswers(q: Query, doc: SearchDocument): Answer[] {
    const factors = this.termFactors[doc.id];
    const { message, terms } = q;
    const shared = terms.spans.filter((_, i) => factors.has(terms.terms[i]));
    const evidence = shared.length > 0 ? quote(message, shared[0].from, shared[shared.length - 1].to) : quote(message, 0, message.words.length - 1);
    return doc.answers.map((a) => ({ ...a, from: 'message', evidence }));
  }
}
