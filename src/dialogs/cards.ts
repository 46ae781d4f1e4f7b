import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import type * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import type { Answer, PathStep } from '../domain/engine.js';
import { packagePath } from '../packageRoot.js';
import type { CardAction } from '../domain/cardActions.js';
import type { KnowledgeBase, Line, OutcomeNode, Procedure, QuestionNode } from '../domain/types.js';
import { kindLabels } from '../domain/vocabulary.js';
import { renderTemplate } from '../domain/forms.js';
import { compileTemplate, dropNulls, type CompiledTemplate } from './cardTemplate.js';

/** Card templates (cards/*.json), read once; each compiled into a function, the library as the reference and fallback. */
const cardsDir = packagePath('cards');
const templates = new Map<CardName, { json: unknown; compiled: CompiledTemplate | undefined; library?: ACData.Template }>();

/** Every template in cards/ (the tests check each one parses as Adaptive Cards 1.5). */
export type CardName = 'question' | 'outcome' | 'directory' | 'form' | 'decisions' | 'decision' | 'notice';

/** The template read once, with its compiled form (undefined when it uses what the compiler does not know). */
function templateOf(name: CardName) {
  let template = templates.get(name);
  if (!template) {
    const json: unknown = JSON.parse(readFileSync(`${cardsDir}${name}.json`, 'utf8'));
    template = { json, compiled: compileTemplate(json) };
    templates.set(name, template);
  }
  return template;
}

/**
 * adaptivecards-templating, loaded when a card first needs it: with adaptive-expressions and antlr4ts
 * it is hundreds of modules, a good part of the start, and the compiled templates rarely need it.
 */
let library: typeof ACData | undefined;
const requireHere = createRequire(import.meta.url);

/** The card as `adaptivecards-templating` expands it, nulls dropped: the reference the compiled templates are held to. */
export function expandWithLibrary(name: CardName, data: object): Record<string, unknown> {
  const template = templateOf(name);
  library ??= requireHere('adaptivecards-templating') as typeof ACData;
  template.library ??= new library.Template(template.json);
  return dropNulls(template.library.expand({ $root: data })) as Record<string, unknown>;
}

const CARD_CHECK = Symbol.for('operator-assistant.cardCheck');

/** The same card, and the same bytes on the wire (key order included). */
export const sameCard = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);

/**
 * For tests: with `on`, every card is also expanded by the library and a difference throws, naming
 * the template; the counts say how many cards the compiled templates gave and how many fell back,
 * and `record`, when set, collects what was expanded.
 */
export interface CardCheck {
  on: boolean;
  compiled: number;
  fellBack: number;
  record?: { name: CardName; data: object }[];
}

/** One per process: mocha loads some test files through require and others through import, each with its own copy of this module. */
export const cardCheck: CardCheck = ((globalThis as { [CARD_CHECK]?: CardCheck })[CARD_CHECK] ??= { on: false, compiled: 0, fellBack: 0 });

/** Fills a template from cards/ with data; the result is a plain Adaptive Card 1.5 object. */
export function expandCard(name: CardName, data: object): Record<string, unknown> {
  const card = templateOf(name).compiled?.(data);
  if (cardCheck.on) {
    cardCheck.record?.push({ name, data });
    cardCheck[card ? 'compiled' : 'fellBack']++;
    if (card && !sameCard(card, expandWithLibrary(name, data))) throw new Error(`cards/${name}.json: the compiled template and adaptivecards-templating differ for ${JSON.stringify(data)}`);
  }
  return card ?? expandWithLibrary(name, data);
}

function attachment(name: CardName, data: object): Attachment {
  return CardFactory.adaptiveCard(expandCard(name, data));
}

/** Explanations of facts the bot decided itself, by fact name (e.g. the configured hours). */
export type FactNotes = Readonly<Record<string, string>>;

const yesNo: Record<string, string> = { yes: 'да', no: 'нет' };

const pathText = (path: readonly PathStep[], notes: FactNotes = {}) =>
  path
    .map((s) => (s.automatic ? `${s.question} — ${yesNo[s.answer] ?? s.answer} (определено автоматически${notes[s.factName ?? ''] ? `: ${notes[s.factName!]}` : ''})` : s.answer))
    .join(' → ');

/** An answer taken from the operator's message, shown with the words that state it and one tap to change it. */
export interface FromMessageData {
  question: string;
  answer: string;
  evidence: string;
  data: CardAction;
}

/** The answers taken from the message, in path order; `change` is the tap that reopens the question of answer `i`. */
function fromMessageData(path: readonly PathStep[], answers: readonly Answer[], change: (a: Answer, i: number) => CardAction): FromMessageData[] {
  return answers.flatMap((a, i) => {
    const s = a.from === 'message' ? path.find((p) => p.nodeId === a.nodeId && !p.automatic) : undefined;
    // Without its «?»: the one question the card asks stays the only one that reads as a question.
    return s ? [{ question: s.question.replace(/\s*\?$/, ''), answer: s.answer, evidence: a.evidence ?? '', data: change(a, i) }] : [];
  });
}

/** The facts the bot decided on the way (check nodes), worded as the operator would have answered them. */
function factsOf(proc: Procedure, path: readonly PathStep[], notes: FactNotes): QuestionCardData['facts'] {
  return path.flatMap((s) => {
    if (!s.automatic) return [];
    const node = proc.nodes[s.nodeId];
    const ask = node?.type === 'check' ? node.ask : undefined;
    const option = ask?.options.find((o) => o.id === s.optionId);
    return [{ text: ask && option ? `${ask.text} ${option.label}` : `${s.question} — ${yesNo[s.answer] ?? s.answer}`, note: notes[s.factName ?? ''] ?? '' }];
  });
}

/** Data shape of cards/question.json: the question first, the fact the bot decided just above it, where the dialog is at the bottom. */
export interface QuestionCardData {
  procedureId: string;
  nodeId: string;
  cardId: string;
  /** What the bot decided itself on the way here (a check node), e.g. that telesales is closed now, and how. */
  facts: { text: string; note: string }[];
  question: string;
  help: string;
  /** «Шаг 3 · procedure title»: one short line instead of the path, which a tap on it shows. */
  stepLine: string;
  pathText: string;
  canGoBack: boolean;
  options: { id: string; label: string; number: number }[];
  fromMessage: FromMessageData[];
  /** Whose dialog this is, in group chats and channels ('' in a personal chat). */
  owner: string;
  /** The person Teams refreshes the card for when it is shown (Universal Actions), so an older card turns read-only; '' for none. */
  userId: string;
}

/** `answers`: the operator's answers so far (for «Из сообщения»); `answered` counts them for «Назад». */
export function questionCard(proc: Procedure, nodeId: string, node: QuestionNode, path: readonly PathStep[], cardId: string, answered: number, notes: FactNotes = {}, answers: readonly Answer[] = [], owner = '', userId = ''): Attachment {
  const data: QuestionCardData = {
    procedureId: proc.id,
    nodeId,
    cardId,
    facts: factsOf(proc, path, notes),
    question: node.text,
    help: node.help ?? '',
    stepLine: `Шаг ${path.filter((s) => !s.automatic).length + 1} · ${proc.title}${path.length ? ' · путь ▾' : ''}`,
    pathText: pathText(path, notes),
    canGoBack: answered > 0,
    options: node.options.map((o, i) => ({ id: o.id, label: o.label, number: i + 1 })),
    fromMessage: fromMessageData(path, answers, (a) => ({ action: 'revise', nodeId: a.nodeId, cardId })),
    owner,
    userId,
  };
  return attachment('question', data);
}

/** Data shape of cards/outcome.json: what to do or say first, then the steps, the source collapsed. */
export interface OutcomeCardData {
  procedureId: string;
  decisionId: string;
  /** Kind and procedure, one small line under the answer. */
  context: string;
  headlineStyle: 'good' | 'attention' | 'accent';
  /** The card's top, in large type: the phrase to say verbatim, the line with its number and hours, the call result to set. Empty: the headline leads. */
  leads: { text: string; size: 'Large' | 'Medium'; caption: string }[];
  headline: string;
  /** Large when it is the card's top, else the instruction under the leads. */
  headlineSize: 'Large' | 'Default';
  question: string;
  lineNote: string;
  phrases: { label: string; text: string }[];
  caseParams: { mandatory: string[]; desirable: string[] } | null;
  actionsTitle: string;
  actions: { number: number; text: string }[];
  comment: string;
  /** The comment as the form writes it, with what the message gave filled in (e.g. the question number); '' when it gave nothing. */
  commentFromMessage: string;
  details: string[];
  notCovered: boolean;
  source: string;
  citations: { quote: string }[];
  pathText: string;
  /** The operator's answers but the last: «Назад» reopens the last question (the dialog is over). */
  backAnswers: Answer[];
  canGoBack: boolean;
  /** The outcome's fill-in form (kb/forms): the «Заполнить …» button. */
  form: { id: string; button: string; data: CardAction } | null;
  /** For each fact the bot decided itself: a button to answer otherwise (e.g. telesales is in fact closed). */
  overrides: { title: string; answers: Answer[] }[];
  fromMessage: FromMessageData[];
  /** Whose dialog this is, in group chats and channels ('' in a personal chat). */
  owner: string;
  /** The feedback this person gave on the decision, shown once given ('' before). */
  feedback: string;
}

/** What an outcome card shows beyond the outcome: the answers as given (where they came from) and form values from the message. */
export interface OutcomeExtras {
  answers?: readonly Answer[];
  values?: Record<string, string>;
  /** The name of the dialog's owner in a shared conversation. */
  owner?: string;
  /** The verdict this person gave (the card is shown again after «👍 Помогло» or «Ответ неверный»). */
  feedback?: 'helpful' | 'wrong';
}

const feedbackText = { helpful: 'Ваш отзыв: 👍 помогло. Можно изменить его кнопкой ниже.', wrong: 'Ваш отзыв: ответ неверный — передан тимлиду на проверку. Можно изменить его кнопкой ниже.' } as const;

/** The line as the card's top says it: its name with the number and hours to give the client. */
const lineLead = (line: Line) => [`Линия: ${line.name}`, line.number, line.hours].filter(Boolean).join(' · ');

/** What the operator says or sets first, in the order they do it: the phrases, the line, the call result. */
function leadsOf(node: OutcomeNode, line: Line | undefined): OutcomeCardData['leads'] {
  const leads = [
    ...(node.phrases ?? []).map((p) => ({ text: p.text, caption: p.label ?? PHRASE_LABEL })),
    ...(line ? [{ text: lineLead(line), caption: '' }] : []),
    ...(node.callResult ? [{ text: `Результат звонка: «${node.callResult}»`, caption: '' }] : []),
  ];
  return leads.map((lead, i) => ({ ...lead, size: i === 0 ? 'Large' : 'Medium' }));
}

/** What a phrase is, when the procedure does not say otherwise (e.g. the text of a reminder). */
const PHRASE_LABEL = 'Стандартная фраза (СФ) — дословно';

/** A seed's title (kb/sources/titles.yaml), else its file name. */
const sourceName = (kb: KnowledgeBase, seed: string) => kb.sourceTitles?.[seed] ?? seed;

export function outcomeCardData(kb: KnowledgeBase, proc: Procedure, node: OutcomeNode, path: readonly PathStep[], decisionId: string, notes: FactNotes = {}, extras: OutcomeExtras = {}): OutcomeCardData {
  const seeds = [...new Set(node.citations.map((c) => c.seed))];
  const answered: Answer[] = extras.answers ? [...extras.answers] : path.filter((s) => !s.automatic).map(({ nodeId, optionId }) => ({ nodeId, optionId }));
  const line = kb.lines.find((l) => l.id === node.line);
  const leads = leadsOf(node, line);
  const question = node.question ?? '';
  return {
    procedureId: proc.id,
    decisionId,
    context: `${kindLabels[node.kind]} · ${proc.title}`,
    headlineStyle: node.kind === 'notCovered' ? 'attention' : 'good',
    leads,
    headline: node.headline,
    headlineSize: leads.length ? 'Default' : 'Large',
    question,
    lineNote: line?.note ?? '',
    phrases: (node.phrases ?? []).map((p) => ({ label: p.label ?? PHRASE_LABEL, text: p.text })),
    caseParams: node.caseParams ? { mandatory: node.caseParams.mandatory, desirable: node.caseParams.desirable ?? [] } : null,
    actionsTitle: node.kind === 'faq' ? 'Ответ' : 'Что сделать',
    actions: (node.actions ?? []).map((text, i) => ({ number: i + 1, text })),
    comment: node.comment ?? '',
    commentFromMessage: commentFromMessage(kb, node, extras.values),
    details: node.details ?? [],
    notCovered: node.kind === 'notCovered',
    source: `${seeds.map((seed) => sourceName(kb, seed)).join(', ')} — «${proc.section}»`,
    // The question is on the card already; quotes that open with «» (a phrase quoted in the seed) are not wrapped twice.
    citations: node.citations.filter((c) => c.quote !== question).map((c) => ({ quote: quoted(c.quote) })),
    pathText: pathText(path, notes),
    backAnswers: answered.slice(0, -1),
    canGoBack: answered.length > 0,
    form: formOf(kb, node, decisionId, extras.values),
    overrides: overridesOf(proc, path),
    // The dialog is over: a change starts the procedure again with the answers before that one.
    fromMessage: fromMessageData(path, answered, (a, i) => ({ action: 'start', procedureId: proc.id, answers: answered.slice(0, i), revised: a })),
    owner: extras.owner ?? '',
    feedback: extras.feedback ? feedbackText[extras.feedback] : '',
  };
}

/** The other answers of each automatic step, each restarting the walk with the operator's answer there instead. */
function overridesOf(proc: Procedure, path: readonly PathStep[]): OutcomeCardData['overrides'] {
  return path.flatMap((step, i) => {
    const node = proc.nodes[step.nodeId];
    if (!step.automatic || node?.type !== 'check' || !node.ask) return [];
    const before = path.slice(0, i).filter((s) => !s.automatic).map(({ nodeId, optionId }) => ({ nodeId, optionId }));
    return node.ask.options
      .filter((o) => o.id !== step.optionId)
      .map((o) => ({ title: `На самом деле: ${o.label}`, answers: [...before, { nodeId: step.nodeId, optionId: o.id }] }));
  });
}

/**
 * The outcome form's text filled with the values the message gave, other fields left as «…» (the
 * date is the form's, so it is left out here): the comment half of a two-part answer, ready to read.
 */
function commentFromMessage(kb: KnowledgeBase, node: OutcomeNode, values?: Record<string, string>): string {
  const form = node.form ? kb.forms?.find((f) => f.id === node.form) : undefined;
  if (!form || !values || !form.fields.some((f) => Object.hasOwn(values, f.id))) return '';
  const filled: Record<string, string> = {};
  for (const f of form.fields) if (f.required) filled[f.id] = Object.hasOwn(values, f.id) ? values[f.id] : f.kind === 'date' ? '' : '…';
  for (const f of form.fields) if (!f.required && Object.hasOwn(values, f.id)) filled[f.id] = values[f.id];
  return renderTemplate(form.outputs[0].template, filled);
}

/** A quote in «», unless it already opens with one (a phrase quoted in the seed is not wrapped twice). */
export const quoted = (quote: string): string => (quote.startsWith('«') ? quote : `«${quote}»`);

function formOf(kb: KnowledgeBase, node: OutcomeNode, decisionId: string, values?: Record<string, string>): OutcomeCardData['form'] {
  const form = node.form ? kb.forms?.find((f) => f.id === node.form) : undefined;
  if (!form) return null;
  // Values the message gave ride on the button; the form handler takes only the form's own fields.
  return { id: form.id, button: form.button, data: { action: 'formOpen', formId: form.id, decisionId, ...(values && Object.keys(values).length ? { values } : {}) } };
}

export function outcomeCard(kb: KnowledgeBase, proc: Procedure, node: OutcomeNode, path: readonly PathStep[], decisionId: string, notes: FactNotes = {}, extras: OutcomeExtras = {}): Attachment {
  return attachment('outcome', outcomeCardData(kb, proc, node, path, decisionId, notes, extras));
}

/** A card with no buttons: what an out-of-date card becomes. */
export const readOnlyCard = (text: string): Attachment => attachment('notice', { text });

/** Data shape of cards/directory.json: grouped entries; an entry with `data` is tappable. */
export interface DirectoryCardData {
  title: string;
  intro: string;
  groups: { title: string; entries: { title: string; lines: string[]; source: string; data: CardAction | null }[] }[];
  buttons: { title: string; data: CardAction }[];
}

export function directoryCard(data: DirectoryCardData): Attachment {
  return attachment('directory', data);
}
