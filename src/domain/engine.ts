import type { AnswerOption, CheckNode, OutcomeNode, Procedure, QuestionNode } from './types.js';

/**
 * The decision engine: a pure function of (procedure, answers so far, facts) to the current
 * position. Nothing is stored here; the caller keeps the answers, so "back" is dropping the last one
 * and a restored conversation is just its answers replayed.
 */

/** One answer the operator gave: the option picked at a question. */
export interface Answer {
  nodeId: string;
  optionId: string;
  /** Where the answer came from: taken from the operator's message, or tapped/typed at the question (default). */
  from?: 'message' | 'tap';
  /** For an answer taken from the message: the words of the message that state it (shown on the card, logged). */
  evidence?: string;
}

/** Facts the bot knows without asking (e.g. `telesalesOpen: "yes"`), for check nodes. */
export type Facts = Readonly<Record<string, string>>;

/** A step of the path that led to the current position, as shown to operators and logged. */
export interface PathStep {
  nodeId: string;
  question: string;
  optionId: string;
  answer: string;
  /** True when the bot decided this step itself (a check node), not the operator. */
  automatic?: boolean;
  /** For an automatic step: the fact it was decided by. */
  factName?: string;
  /** For an operator's step: taken from the message or tapped (team leads see which). */
  from?: 'message' | 'tap';
}

export type Position =
  | { type: 'question'; nodeId: string; node: QuestionNode; path: PathStep[] }
  | { type: 'outcome'; nodeId: string; node: OutcomeNode; path: PathStep[] };

export type EngineErrorCode = 'unknownNode' | 'notCurrent' | 'unknownOption' | 'missingFact' | 'cycle';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

function nodeOf(proc: Procedure, nodeId: string) {
  const node = Object.prototype.hasOwnProperty.call(proc.nodes, nodeId) ? proc.nodes[nodeId] : undefined;
  if (!node) throw new EngineError('unknownNode', `procedure "${proc.id}" has no node "${nodeId}"`);
  return node;
}

/** Finds the option of a question by id. */
export function optionOf(node: QuestionNode, optionId: string): AnswerOption | undefined {
  return node.options.find((o) => o.id === optionId);
}

/** A check node's fallback question, its options leading where the cases do. */
export function checkQuestion(node: CheckNode): QuestionNode | undefined {
  if (!node.ask) return undefined;
  return { type: 'question', text: node.ask.text, help: node.ask.help, options: node.ask.options.map((o) => ({ ...o, next: node.cases[o.id] })) };
}

/**
 * Walks the procedure from its start through `answers`, resolving check nodes from `facts`,
 * and returns where that leaves the operator. At a check node an answer given for it (the
 * operator overriding the fact, or answering its `ask` question) wins over the fact; without
 * either the `ask` question is the position. Throws {@link EngineError} when an answer does not
 * fit the node it claims to answer (a stale or forged click), so callers never act on it.
 */
export function locate(proc: Procedure, answers: readonly Answer[], facts: Facts = {}): Position {
  const path: PathStep[] = [];
  let nodeId = proc.start;
  let used = 0;
  for (let guard = 0; guard <= Object.keys(proc.nodes).length + answers.length; guard++) {
    const node = nodeOf(proc, nodeId);
    if (node.type === 'outcome') {
      if (used < answers.length) throw new EngineError('notCurrent', `answer for "${answers[used].nodeId}" comes after the outcome "${nodeId}"`);
      return { type: 'outcome', nodeId, node, path };
    }
    if (node.type === 'check') {
      if (answers[used]?.nodeId === nodeId) {
        const a = answers[used++];
        const next = Object.prototype.hasOwnProperty.call(node.cases, a.optionId) ? node.cases[a.optionId] : undefined;
        if (next === undefined) throw new EngineError('unknownOption', `node "${nodeId}" has no case "${a.optionId}"`);
        const asked = node.ask?.options.find((o) => o.id === a.optionId);
        path.push({ nodeId, question: node.ask?.text ?? node.text, optionId: a.optionId, answer: asked?.label ?? a.optionId });
        nodeId = next;
        continue;
      }
      const value = facts[node.fact];
      const asked = value === undefined ? checkQuestion(node) : undefined;
      if (asked) {
        if (used < answers.length) throw new EngineError('notCurrent', `answer for "${answers[used].nodeId}" given where "${nodeId}" is asked`);
        return { type: 'question', nodeId, node: asked, path };
      }
      const next = value === undefined ? undefined : node.cases[value];
      if (next === undefined) throw new EngineError('missingFact', `node "${nodeId}" needs fact "${node.fact}" (one of ${Object.keys(node.cases).join(', ')}), got ${JSON.stringify(value)}`);
      path.push({ nodeId, question: node.text, optionId: value, answer: value, automatic: true, factName: node.fact });
      nodeId = next;
      continue;
    }
    if (used === answers.length) return { type: 'question', nodeId, node, path };
    const a = answers[used++];
    if (a.nodeId !== nodeId) throw new EngineError('notCurrent', `answer for "${a.nodeId}" given where "${nodeId}" is asked`);
    const option = optionOf(node, a.optionId);
    if (!option) throw new EngineError('unknownOption', `node "${nodeId}" has no option "${a.optionId}"`);
    path.push({ nodeId, question: node.text, optionId: option.id, answer: option.label, ...(a.from ? { from: a.from } : {}) });
    nodeId = option.next;
  }
  throw new EngineError('cycle', `procedure "${proc.id}" loops without reaching an outcome`);
}
