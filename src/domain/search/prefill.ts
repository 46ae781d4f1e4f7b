import { locate, type Answer } from '../engine.js';
import type { Procedure, QuestionNode } from '../types.js';
import type { Analysis, Analyzer } from './analyzer.js';

/**
 * Answers a message already gives: walking from the start, a question is answered when exactly one
 * of its options is named in the message (its label or a synonym, as stems or as synonym terms), and
 * the walk stops at the first question that is not (or at a check node, which the dialog decides).
 */

interface Phrase {
  stems: string[];
  terms: string[];
}

interface OptionPhrases {
  optionId: string;
  phrases: Phrase[];
}

const NEGATIONS = new Set(['не', 'нет', 'ни']);

/** Where `needle` occurs in `hay` as a run; returns the start indexes. */
function occurrences(hay: readonly string[], needle: readonly string[]): number[] {
  const at: number[] = [];
  if (needle.length === 0) return at;
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((s, k) => hay[i + k] === s)) at.push(i);
  return at;
}

export class Prefiller {
  /** Option phrases per procedure and question node, analyzed once. */
  private readonly options = new Map<string, Map<string, OptionPhrases[]>>();

  constructor(
    procedures: readonly Procedure[],
    private readonly analyzer: Analyzer,
  ) {
    for (const p of procedures) {
      const byNode = new Map<string, OptionPhrases[]>();
      for (const [nodeId, node] of Object.entries(p.nodes)) {
        if (node.type !== 'question') continue;
        byNode.set(nodeId, this.phrasesOf(p, node));
      }
      this.options.set(p.id, byNode);
    }
  }

  private phrasesOf(p: Procedure, node: QuestionNode): OptionPhrases[] {
    return node.options
      .filter((o) => {
        // An option that ends the walk with "not covered" is never guessed from a passing word.
        const next = p.nodes[o.next];
        return !(next?.type === 'outcome' && next.kind === 'notCovered');
      })
      .map((o) => ({
        optionId: o.id,
        phrases: [o.label, ...(o.synonyms ?? [])]
          .map((text) => this.analyzer.analyze(text))
          .filter((a) => a.stems.length > 0)
          .map((a) => ({ stems: a.stems, terms: a.tokens.map((t) => t.term) })),
      }));
  }

  /** Spans [start, end) of the message's content words where the option is named, negated mentions left out. */
  private spans(message: Analysis, option: OptionPhrases): [number, number][] {
    const spans: [number, number][] = [];
    const terms = message.tokens.map((t) => t.term);
    const negated = (start: number, phrase: Phrase) => start > 0 && NEGATIONS.has(message.stems[start - 1]) && !NEGATIONS.has(phrase.stems[0]);
    for (const phrase of option.phrases) {
      for (const i of occurrences(message.stems, phrase.stems)) if (!negated(i, phrase)) spans.push([i, i + phrase.stems.length]);
      for (const j of occurrences(terms, phrase.terms)) {
        const span: [number, number] = [message.tokens[j].start, message.tokens[j + phrase.terms.length - 1].end];
        if (!negated(span[0], phrase)) spans.push(span);
      }
    }
    return spans;
  }

  /** The one option of a question the message names, if exactly one is (a mention inside a longer one's does not count). */
  private chosen(message: Analysis, options: readonly OptionPhrases[]): string | undefined {
    const found = options.map((o) => ({ id: o.optionId, spans: this.spans(message, o) })).filter((o) => o.spans.length > 0);
    const inside = (a: [number, number], b: [number, number]) => b[0] <= a[0] && a[1] <= b[1] && b[1] - b[0] > a[1] - a[0];
    const kept = found.filter((o) => !o.spans.every((s) => found.some((other) => other !== o && other.spans.some((t) => inside(s, t)))));
    return kept.length === 1 ? kept[0].id : undefined;
  }

  /** The answers the message gives, from the start of the procedure. */
  prefill(p: Procedure, message: Analysis): Answer[] {
    const answers: Answer[] = [];
    const byNode = this.options.get(p.id);
    if (!byNode) return answers;
    for (let guard = 0; guard < Object.keys(p.nodes).length; guard++) {
      let position;
      try {
        position = locate(p, answers);
      } catch {
        break; // a check node: the dialog decides it from facts
      }
      if (position.type !== 'question') break;
      const optionId = this.chosen(message, byNode.get(position.nodeId) ?? []);
      if (!optionId) break;
      answers.push({ nodeId: position.nodeId, optionId });
    }
    return answers;
  }
}
