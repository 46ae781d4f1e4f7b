import type { Answer } from '../engine.js';
import { allPaths } from '../paths.js';
import type { KnowledgeBase, OutcomeNode, Procedure } from '../types.js';

/** The fields a search document has, and how much a match in each counts. */
export const FIELD_BOOST = {
  title: 3,
  triggers: 3,
  summary: 2,
  section: 1.5,
  questions: 1,
  outcomes: 0.5,
} as const;

export type Field = keyof typeof FIELD_BOOST;
export const FIELDS = Object.keys(FIELD_BOOST) as Field[];

/** What a search can find: a procedure as a whole, or one FAQ answer of it. */
export interface SearchDocument {
  id: number;
  procedureId: string;
  kind: 'procedure' | 'faq';
  title: string;
  description: string;
  /** For a FAQ: the answers that lead from the start to it. */
  answers: Answer[];
  /** For a FAQ: its outcome node. */
  nodeId?: string;
  text: Record<Field, string[]>;
}

/** Key of FAQ-specific extra phrases in kb/search: `procedureId/outcomeNodeId`. */
export const faqKey = (procedureId: string, nodeId: string) => `${procedureId}/${nodeId}`;

/** The texts of an outcome card: headline, question, call result, comment, details, actions, phrases, CASE parameters. */
export function outcomeText(node: OutcomeNode): string[] {
  return [
    node.headline,
    ...(node.question ? [node.question] : []),
    ...(node.callResult ? [node.callResult] : []),
    ...(node.comment ? [node.comment] : []),
    ...(node.details ?? []),
    ...(node.actions ?? []),
    ...(node.phrases ?? []).flatMap((p) => [p.text, ...(p.label ? [p.label] : [])]),
    ...(node.caseParams ? [...node.caseParams.mandatory, ...(node.caseParams.desirable ?? [])] : []),
  ];
}

const isFaq = (p: Procedure, nodeId: string) => {
  const node = p.nodes[nodeId];
  return node?.type === 'outcome' && node.kind === 'faq';
};

/**
 * One document per procedure (title, summary, section, triggers and extra phrases, question texts
 * with option labels and synonyms, outcome texts) and one per FAQ outcome (its question, the option
 * that leads to it, its answer). A procedure's own document leaves out its FAQ entries, so asking a
 * FAQ question finds the entry rather than the list it is on.
 */
export function buildDocuments(kb: KnowledgeBase, extra: Readonly<Record<string, readonly string[]>> = {}): SearchDocument[] {
  const docs: SearchDocument[] = [];
  for (const p of kb.procedures) {
    const questions: string[] = [];
    const outcomes: string[] = [];
    for (const node of Object.values(p.nodes)) {
      if (node.type === 'question') {
        questions.push(node.text);
        for (const o of node.options) if (!isFaq(p, o.next)) questions.push(o.label, ...(o.synonyms ?? []));
      } else if (node.type === 'check') questions.push(node.text);
      else if (node.kind !== 'faq') outcomes.push(...outcomeText(node));
    }
    docs.push({
      id: docs.length,
      procedureId: p.id,
      kind: 'procedure',
      title: p.title,
      description: p.summary,
      answers: [],
      text: { title: [p.title], triggers: [...p.triggers, ...(extra[p.id] ?? [])], summary: [p.summary], section: [p.section], questions, outcomes },
    });

    const faqPaths = allPaths(p).filter((path) => isFaq(p, path.outcome) && Object.keys(path.facts).length === 0);
    const seen = new Set<string>();
    for (const path of faqPaths) {
      if (seen.has(path.outcome)) continue;
      seen.add(path.outcome);
      const node = p.nodes[path.outcome] as OutcomeNode;
      const last = path.answers[path.answers.length - 1];
      const via = last ? p.nodes[last.nodeId] : undefined;
      const option = via?.type === 'question' ? via.options.find((o) => o.id === last.optionId) : undefined;
      const question = node.question ?? option?.label ?? node.headline;
      docs.push({
        id: docs.length,
        procedureId: p.id,
        kind: 'faq',
        title: p.title,
        description: question,
        answers: path.answers,
        nodeId: path.outcome,
        text: {
          title: [question],
          triggers: [...(option ? [option.label, ...(option.synonyms ?? [])] : []), ...(extra[faqKey(p.id, path.outcome)] ?? [])],
          summary: [],
          section: [],
          questions: [],
          outcomes: outcomeText(node).filter((t) => t !== question),
        },
      });
    }
  }
  return docs;
}
