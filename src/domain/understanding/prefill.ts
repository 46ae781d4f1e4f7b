import { locate, type Answer } from '../engine.js';
import type { Analyzer } from '../search/analyzer.js';
import type { AnswerOption, Procedure, QuestionNode } from '../types.js';
import { alternatives, asserted, compilePhrase, messageTerms, named, negatedAt, stated, underNegatedPredicate, type Phrase, type Span, type Terms } from './evidence.js';
import { quote, readMessage, type Message } from './message.js';
import { readCounts, readMonthsAgo, type CountSpec } from './numbers.js';
import { readDeadlinePassed } from './deadlines.js';
import { NOT_KNOWING } from './markers.js';

/**
 * The answers a message states, walking from the procedure's start: a question is answered only
 * when exactly one option is stated — one of its `evidence.asserts` phrases occurs (not negated)
 * and none of its `evidence.denies` does, or, for a count question, the message's count falls in
 * its range. An option without evidence is never taken; no option is chosen because the others
 * were ruled out. The walk stops at the first question the message does not settle. A check node
 * (decided by the clock when the dialog runs) is passed along the one case after which the message
 * answers a question; the dialog keeps those answers only if the facts lead there.
 */

interface CompiledOption {
  id: string;
  asserts: Phrase[];
  /** Groups, one phrase of each to be stated. */
  all: Phrase[][];
  /** The groups of `all` must be stated in their order. */
  ordered: boolean;
  denies: Phrase[];
  count?: { min: number; max: number };
  /** Stated when the message's numbers say the deadline has passed (see {@link readDeadlinePassed}). */
  deadlinePassed: boolean;
}

interface CompiledQuestion {
  options: CompiledOption[];
  count?: CountSpec;
  /** The asserts of the procedure's other questions: a negation one of them spells out states that other fact. */
  others: Phrase[];
  /** Its options are topics asked about: a question names one. */
  topic: boolean;
  /** For a question about a past period: its length in months. */
  withinMonths?: number;
}

/** Stems of count words; a word written with «*» is kept as its form («*ответил»). */
const stemsOf = (phrases: readonly string[] = []) => new Set(phrases.flatMap((p) => readMessage(p).words.map((w) => (p[w.end] === '*' ? `*${w.word}` : w.stem))));

/**
 * «отказался, а теперь согласен» against «согласился, потом передумал и отказался»: a sequence of facts is
 * stated only in its order. The earliest mention of each group after the one before; none if the order breaks.
 */
function inOrder(groups: readonly Span[][]): Span[] {
  const out: Span[] = [];
  let after = -1;
  for (const g of groups) {
    const next = g.filter((s) => s.from > after).sort((a, b) => a.from - b.from)[0];
    if (!next) return [];
    out.push(next);
    after = next.to;
  }
  return out;
}

/** Every procedure's questions as compiled (see {@link Prefiller.state}): plain data, Maps and Sets. */
export type PrefillState = Map<string, Map<string, CompiledQuestion>>;

/** Whether span `a` lies within the longer span `b`. */
const inside = (a: Span, b: Span) => b.from <= a.from && a.to <= b.to && b.to - b.from > a.to - a.from;


export class Prefiller {
  private readonly questions: PrefillState = new Map();
  /** The words of the message each answer taken was read from. */
  private readonly spans = new WeakMap<Answer, Span>();

  /** With `state` (what {@link state} gave for the same procedures), no phrase is compiled again. */
  constructor(
    procedures: readonly Procedure[],
    private readonly analyzer: Analyzer,
    state?: PrefillState,
  ) {
    if (state) {
      this.questions = state;
      return;
    }
    for (const p of procedures) {
      const byNode = new Map<string, CompiledQuestion>();
      for (const [nodeId, node] of Object.entries(p.nodes)) if (node.type === 'question') byNode.set(nodeId, this.compile(node));
      for (const q of byNode.values()) q.others = [...byNode.values()].filter((o) => o !== q).flatMap((o) => o.options.flatMap((x) => x.asserts));
      this.questions.set(p.id, byNode);
    }
  }

  private compile(node: QuestionNode): CompiledQuestion {
    const option = (o: AnswerOption): CompiledOption => {
      const phrases = (list: readonly string[] = []) =>
        list.map((text) => {
          this.analyzer.learn(readMessage(text).words.map((w) => w.word));
          return compilePhrase(this.analyzer, text, false);
        });
      const c = o.evidence?.count;
      return {
        id: o.id,
        asserts: phrases(o.evidence?.asserts),
        all: (o.evidence?.assertsAll ?? []).map((group) => phrases(group)),
        ordered: o.evidence?.ordered === true,
        denies: phrases(o.evidence?.denies),
        ...(c ? { count: { min: c.min ?? 0, max: c.max ?? Infinity } } : {}),
        deadlinePassed: o.evidence?.deadline === 'passed',
      };
    };
    const count = node.count ? { means: node.count.means, act: stemsOf(node.count.act), unit: stemsOf(node.count.unit) } : undefined;
    return { options: node.options.map(option), others: [], topic: node.topic === true, ...(count ? { count } : {}), ...(node.within ? { withinMonths: node.within.months } : {}) };
  }

  /** The compiled questions, for a later `new Prefiller(procedures, analyzer, state)`. */
  state(): PrefillState {
    return this.questions;
  }

  /** Reads a message for {@link prefill}; typos are corrected against the knowledge base's words. */
  read(text: string): Message {
    return readMessage(text, this.analyzer);
  }

  /** The answers the message states, from the start of the procedure, each with its evidence. */
  prefill(p: Procedure, message: Message): Answer[] {
    if (!this.questions.has(p.id)) return [];
    return this.walk(p, message, messageTerms(this.analyzer, message, false), [], {});
  }

  /** The words of the message an answer of {@link prefill} was read from. */
  span(answer: Answer): Span | undefined {
    return this.spans.get(answer);
  }

  /** The answers after `answers`, with `facts` deciding the check nodes passed so far. */
  private walk(p: Procedure, message: Message, terms: Terms, answers: Answer[], facts: Record<string, string>): Answer[] {
    const byNode = this.questions.get(p.id)!;
    for (let guard = 0; guard < Object.keys(p.nodes).length; guard++) {
      const position = locate(p, answers, facts);
      if (position.type !== 'question') break;
      const node = p.nodes[position.nodeId];
      if (node.type === 'check') {
        // Which case the clock picks is not known here: go on along the one case after which the message says more.
        const further = Object.keys(node.cases)
          .map((value) => this.walk(p, message, terms, answers, { ...facts, [node.fact]: value }))
          .filter((list) => list.length > answers.length);
        return further.length === 1 ? further[0] : answers;
      }
      const question = byNode.get(position.nodeId);
      // A topic question's options are what the message is about, and a question names its topic
      // («можно ли назвать номер кейса»); other questions ask for facts, which a clause that asks does not state.
      const found = question && this.chosen(question, message, terms, question.topic ? named : asserted);
      if (!found) break;
      const answer: Answer = { nodeId: position.nodeId, optionId: found.optionId, from: 'message', evidence: quote(message, found.span.from, found.span.to) };
      this.spans.set(answer, found.span);
      answers = [...answers, answer];
    }
    return answers;
  }

  /** The one option the message states, with the words that state it; undefined when none or several are. */
  private chosen(q: CompiledQuestion, message: Message, terms: Terms, says: typeof asserted): { optionId: string; span: Span } | undefined {
    // «скидка была 5 месяцев назад» for «за последние 3–4 месяца»: a fact dated outside the period says nothing of it.
    if (q.withinMonths !== undefined && readMonthsAgo(message.words).some((t) => t.months > q.withinMonths!)) return undefined;
    // «скидку давали, но не помню когда»: a fact whose date is not known is not known to fall within the period.
    if (q.withinMonths !== undefined && message.words.some((w, i) => w.word === 'когда' && message.words[i - 1] && NOT_KNOWING.has(message.words[i - 1].word) && message.words[i - 2]?.word === 'не')) return undefined;
    const found: { id: string; spans: Span[] }[] = [];
    // A denial said only of an earlier day or call («в прошлый раз прервал, сегодня отказался») denies nothing of today.
    const today = (x: Span) => !message.earlier.has(message.words[x.from].clause);
    const denied = new Set(q.options.filter((o) => o.denies.some((d) => stated(terms, d).some(today))));
    // The other questions' facts the message states: the same for every option, read once when needed.
    let others: Span[] | undefined;
    for (const o of q.options) {
      if (denied.has(o)) continue;
      // «а не в open-dispatch»: a word of a longer phrase of the option, negated there, is negated with it («dispatch»).
      const negatedLonger = o.asserts.flatMap((a) => negatedAt(terms, a));
      const said = o.asserts.map((a) => says(terms, a).filter((x) => !negatedLonger.some((n) => inside(x, n))));
      const spans = said.flat();
      // «обещали за три дня, прошло пять»: the deadline's passing told as numbers.
      const passed = o.deadlinePassed ? readDeadlinePassed(message) : undefined;
      if (passed) spans.push(passed);
      // «X или Y» where both members are this option's evidence states it either way.
      if (says === asserted) {
        const or = o.asserts.flatMap((a) => alternatives(terms, a));
        if (or.some((x) => or.some((y) => x.to < y.from))) spans.push(...or);
      }
      // Several facts: each group stated somewhere in the message; the quote runs from the first to the last.
      // A group named under a negated predicate of its clause («а субъект пока не проверила») is not said.
      const own = [...spans, ...o.all.flatMap((group) => group.flatMap((a) => says(terms, a)))];
      const groups = o.all.map((group) => group.flatMap((a) => says(terms, a)).filter((s) => !underNegatedPredicate(terms, s, own)));
      if (groups.length > 0 && groups.every((g) => g.length > 0)) {
        const all = o.ordered ? inOrder(groups) : groups.flat();
        if (all.length > 0) spans.push({ from: Math.min(...all.map((x) => x.from)), to: Math.max(...all.map((x) => x.to)) });
      }
      // One phrase said and unsaid («совпадает … не совпадает»): the message contradicts itself, so ask.
      // A negation another phrase of the option spells out («заказ не подтвержден» for «подтвердить заказ») is none,
      // and so is one that states another question's fact («просит скидку, скидок не было»).
      const within = (u: Span) => [...spans, ...(others ??= q.others.flatMap((x) => says(terms, x)))].some((s) => s.from <= u.from && u.to <= s.to);
      if (o.asserts.some((a, k) => said[k].length > 0 && negatedAt(terms, a).some((u) => !within(u)))) return undefined;
      if (spans.length > 0) found.push({ id: o.id, spans });
    }
    if (q.count) {
      const counted = this.counted(q, message);
      if (counted) {
        for (const o of q.options) {
          // A denied option is not taken by its count either («предупредила 1 раз, клиент извинился»: he does not go on).
          if (!o.count || counted.min < o.count.min || counted.max > o.count.max || denied.has(o)) continue;
          const entry = found.find((f) => f.id === o.id);
          if (entry) entry.spans.push(counted.span);
          else found.push({ id: o.id, spans: [counted.span] });
        }
      }
    }
    // «в прошлый раз прервал анкету, сегодня отказался сразу»: when today's clauses state an option, another stated
    // only in clauses of an earlier day or call is that day's.
    if (found.some((f) => f.spans.some(today))) for (const f of found) f.spans = f.spans.filter(today);
    for (let k = found.length - 1; k >= 0; k--) if (found[k].spans.length === 0) found.splice(k, 1);
    // A mention inside a longer mention of another option does not count («ответил частично» is not «ответил»).
    const kept = found.filter((o) => !o.spans.every((s) => found.some((other) => other !== o && other.spans.some((t) => inside(s, t)))));
    if (kept.length !== 1) return undefined;
    // The shortest span that states it is the clearest quote.
    const span = kept[0].spans.reduce((a, b) => (b.to - b.from < a.to - a.from ? b : a));
    return { optionId: kept[0].id, span };
  }

  /** The count the message states for the question: every reading intersected; undefined if none or they disagree. */
  private counted(q: CompiledQuestion, message: Message): { min: number; max: number; span: Span } | undefined {
    // A count in a clause that asks («можно ли прервать после двух предупреждений») is not said to have happened.
    // Nor one hedged, taken back or of another day («кажется, это уже третья попытка»).
    let readings = readCounts(message.words, q.count!).filter((r) => [message.asking, message.supposed, message.unsure].every((set) => !set.has(message.words[r.from].clause)));
    // Which occurrence this is does not say how many warnings were given (only that the first one had
    // none before it): otherwise it only has to agree with a count of acts.
    if (q.count!.means === 'given' && !readings.some((r) => r.kind === 'acts' || (r.ordinal && r.max === 0))) return undefined;
    // «опять матерится, ещё не предупреждала»: a repeat without a number does not say a warning came between,
    // so the acts the message counts decide.
    if (q.count!.means === 'given' && readings.some((r) => r.kind === 'acts')) readings = readings.filter((r) => !r.again);
    if (readings.length === 0) return undefined;
    let min = 0;
    let max = Infinity;
    for (const r of readings) {
      min = Math.max(min, r.min);
      max = Math.min(max, r.max ?? Infinity);
    }
    if (min > max) return undefined;
    return { min, max, span: { from: Math.min(...readings.map((r) => r.from)), to: Math.max(...readings.map((r) => r.to)) } };
  }
}

