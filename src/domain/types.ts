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
  /** What in an operator's message states this option; without it the option is only ever tapped. */
  evidence?: OptionEvidence;
  next: string;
}

/** Phrases of a message that state an option or rule it out, and for count questions its number. */
export interface OptionEvidence {
  asserts?: string[];
  /** An option made of several facts: stated when the message states one phrase of every group. */
  assertsAll?: string[][];
  /** The facts of `assertsAll` are a sequence (refused, then wants it): each group stated after the one before. */
  ordered?: boolean;
  denies?: string[];
  /** For a count question: the numbers (as the question's `count` means them) this option stands for. */
  count?: { min?: number; max?: number };
  /** `passed`: stated when the message's numbers or dates say the promised deadline has passed. */
  deadline?: 'passed';
}

/**
 * What the number of a count question counts. `given`: acts the operator already did (warnings,
 * answers), so the n-th occurrence of the behaviour means n − 1 acts given; `occurrence`: which
 * occurrence this is (the 3rd attempt).
 */
export interface CountMeaning {
  means: 'given' | 'occurrence';
  /** For `given`: words of the act («предупредил»); a number next to them counts acts. */
  act?: string[];
  /** Words a number counts besides «раз» («попытка»). */
  unit?: string[];
}

export interface QuestionNode {
  type: 'question';
  text: string;
  help?: string;
  count?: CountMeaning;
  /** The options are topics asked about, not facts: a question («можно ли …?») names one. */
  topic?: boolean;
  /** For a question about a past period: its length; a fact dated further back answers nothing. */
  within?: { months: number };
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
  /** The question asked instead when the bot does not know the fact (e.g. no schedule configured); one option per case. */
  ask?: CheckQuestion;
}

export interface CheckQuestion {
  text: string;
  help?: string;
  /** `id` is the case it leads to. */
  options: Omit<AnswerOption, 'next'>[];
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
  /** Id of a fill-in form in kb/forms. */
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

/** Kinds of a form field; each maps to an Adaptive Card input (see src/dialogs/formCards.ts). */
export type FormFieldKind = 'text' | 'multiline' | 'choice' | 'date' | 'number';

export interface FormChoice {
  /** What goes into the text (checked against the seed like the template's words). */
  value: string;
  /** What the operator sees in the list; defaults to `value`. */
  title?: string;
}

export interface FormField {
  /** Placeholder name in templates and the input id on the card. */
  id: string;
  label: string;
  kind: FormFieldKind;
  required?: boolean;
  /** A heading shown above this field (e.g. «Желательные параметры»). */
  heading?: string;
  placeholder?: string;
  /** Prefilled value; for a date `today`, for a choice one of the values. */
  default?: string;
  /** Single-line text only: the value must match (both the card and the bot check it). */
  regex?: string;
  errorMessage?: string;
  maxLength?: number;
  choices?: FormChoice[];
  /** Date fields: how the date is written into the text (default dd/MM, as the seed's «17/04»). */
  format?: 'dd/MM' | 'dd.MM.yyyy';
  min?: number;
  max?: number;
}

/** At least one of `fields` must be filled (e.g. «контактный телефон (или E-mail)»). */
export interface FormOneOf {
  fields: string[];
  message: string;
}

/** One ready-to-paste text: `{field}` placeholders, `[[ ... ]]` parts left out when a field in them is empty. */
export interface FormOutput {
  label: string;
  template: string;
}

/** A fill-in form beside the procedures (kb/forms/*.yaml), attached to outcomes by `form: <id>`. */
export interface Form {
  id: string;
  version: number;
  title: string;
  /** Title of the button on the outcome card, e.g. «Заполнить CASE». */
  button: string;
  seed: string;
  intro?: string;
  fields: FormField[];
  oneOf?: FormOneOf[];
  outputs: FormOutput[];
  /** What to tell the client, in the seed's words (checked against the seed). */
  tell?: string;
  /** An instruction for the operator, in the seed's words (checked against the seed). */
  note?: string;
  /** File the form was loaded from (set by the loader). */
  file?: string;
}

export interface KnowledgeBase {
  procedures: Procedure[];
  lines: Line[];
  /** Fill-in forms (kb/forms); absent in knowledge bases built without them. */
  forms?: Form[];
  /** The seed texts' titles by file name (kb/sources/titles.yaml), for «Источник» on the cards. */
  sourceTitles?: Readonly<Record<string, string>>;
  /** Content hash of every file the knowledge base was loaded from. */
  version: string;
}
