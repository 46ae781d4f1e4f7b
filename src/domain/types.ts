/**
 * Shapes of the knowledge base: procedures, their nodes and outcomes, and the directories.
 * They mirror kb/schema/*.schema.json; the loader validates files against the schema before
 * they are trusted as these types.
 */

/** A passage of a seed text that an outcome stands on. `quote` must occur in the seed verbatim. */
export interface Citation {
  /** Seed file name, e.g. `001_30f17cc54f05e2fd.txt`; defaults to the procedure's seed. */
  seed: string;
  quote: string;
}

export type OutcomeKind =
  | 'callResult'
  | 'transfer'
  | 'phrase'
  | 'caseParams'
  | 'actions'
  | 'faq'
  | 'notCovered';

export interface AnswerOption {
  id: string;
  label: string;
  /** Extra words an operator may type instead of the label. */
  synonyms?: string[];
  next: string;
}

export interface QuestionNode {
  type: 'question';
  text: string;
  help?: string;
  options: AnswerOption[];
}

/**
 * A branch decided without asking: the dialog supplies the fact (e.g. from the clock and the
 * configured working hours), so the operator gets no question the bot can answer itself.
 */
export interface CheckNode {
  type: 'check';
  fact: string;
  /** What the card says about how the fact was decided. */
  text: string;
  cases: Record<string, string>;
}

export interface StandardPhrase {
  text: string;
  /** What the text is for, when not a phrase said aloud (e.g. «Текст SMS»). */
  label?: string;
}

export interface CaseParams {
  mandatory: string[];
  desirable?: string[];
}

export interface OutcomeNode {
  type: 'outcome';
  kind: OutcomeKind;
  /** What to do first, shown in large type. */
  headline: string;
  /** For kind `faq`: the question as the seed words it. */
  question?: string;
  callResult?: string;
  /** Id of a line in kb/lines.yaml. */
  line?: string;
  phrases?: StandardPhrase[];
  caseParams?: CaseParams;
  actions?: string[];
  /** A comment to write, as the seed gives it. */
  comment?: string;
  details?: string[];
  /** Id of a fill-in form in kb/forms (issue: forms). */
  form?: string;
  citations: Citation[];
}

export type ProcedureNode = QuestionNode | CheckNode | OutcomeNode;

export interface Procedure {
  id: string;
  version: number;
  title: string;
  /** One line for topic lists and disambiguation. */
  summary: string;
  seed: string;
  /** Heading of the seed section, for the coverage table and topic lists. */
  section: string;
  /** How operators describe the situation; used by search. */
  triggers: string[];
  start: string;
  nodes: Record<string, ProcedureNode>;
  /** File the procedure was loaded from (set by the loader). */
  file?: string;
}

export interface Line {
  id: string;
  name: string;
  number?: string;
  hours?: string;
  note?: string;
  citations: Citation[];
}

export interface KnowledgeBase {
  procedures: Procedure[];
  lines: Line[];
  /** Content hash of every file the knowledge base was loaded from. */
  version: string;
}
