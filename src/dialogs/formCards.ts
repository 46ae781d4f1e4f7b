import { CardFactory, type Attachment } from 'botbuilder';
import { DEFAULT_MAX_LENGTH, type FieldProblem, type RenderedOutput } from '../domain/forms.js';
import type { Form, FormField } from '../domain/types.js';
import { expandCard } from './cards.js';
import { t } from './strings.js';

/**
 * The form card (cards/form.json) in its two states: the form to fill (fresh, or re-shown with the
 * operator's values and the problems found), and the finished texts ready to paste.
 */

/**
 * Makes typed text show as plain text in a TextBlock (which renders a subset of Markdown): the
 * characters of links, emphasis and code, and heading and list markers at the start of a line,
 * get a backslash, which Teams drops on display. Only what Markdown would act on is escaped, so
 * ordinary names, addresses and phone numbers are shown unchanged. The copy box (an Input.Text,
 * never Markdown) gets the raw text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
        .replace(/^(\s*)(#|[-+](?=\s|$))/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2'),
    )
    .join('\n');
}

/** Data shape of one field of cards/form.json; every key present (`null` drops it from the card). */
interface FieldData {
  id: string;
  kind: FormField['kind'];
  label: string;
  heading: string;
  required: boolean;
  errorMessage: string | null;
  regex: string | null;
  maxLength: number | null;
  placeholder: string | null;
  value: string;
  numberValue: number | null;
  min: number | null;
  max: number | null;
  choices: { title: string; value: string }[];
  problem: string;
}

/** Data shape of cards/form.json. */
export interface FormCardData {
  formId: string;
  decisionId: string;
  cardId: string;
  title: string;
  intro: string;
  headerStyle: 'accent' | 'good';
  result: boolean;
  problems: string[];
  fields: FieldData[];
  outputs: { label: string; lines: string[]; text: string }[];
  note: string;
  tell: string;
  notLogged: boolean;
  notLoggedText: string;
  source: string;
}

const base = (form: Form, decisionId: string): Omit<FormCardData, 'cardId' | 'headerStyle' | 'result' | 'problems' | 'fields' | 'outputs' | 'note' | 'tell' | 'notLogged'> => ({
  formId: form.id,
  decisionId,
  title: form.title,
  intro: form.intro ?? '',
  notLoggedText: t.formNotLogged,
  source: `${form.seed} — форма «${form.id}» (${form.file ?? form.id})`,
});

function fieldData(f: FormField, value: string, problems: FieldProblem[]): FieldData {
  const numeric = f.kind === 'number' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null;
  return {
    id: f.id,
    kind: f.kind,
    label: f.label,
    heading: f.heading ?? '',
    required: f.required ?? false,
    errorMessage: f.regex || f.kind === 'number' ? (f.errorMessage ?? `Проверьте поле «${f.label}».`) : f.required ? `Заполните поле «${f.label}».` : null,
    regex: f.kind === 'text' ? (f.regex ?? null) : null,
    maxLength: f.kind === 'text' || f.kind === 'multiline' ? (f.maxLength ?? DEFAULT_MAX_LENGTH[f.kind]) : null,
    placeholder: f.placeholder ?? null,
    value,
    numberValue: numeric,
    min: f.min ?? null,
    max: f.max ?? null,
    choices: (f.choices ?? []).map((c) => ({ title: c.title ?? c.value, value: c.value })),
    problem: problems.filter((p) => p.fieldId === f.id).map((p) => p.message).join(' '),
  };
}

/** The form to fill: `values` are shown in the inputs as given (defaults, or what was typed), `problems` at the top and under their fields. */
export function formCardData(form: Form, options: { decisionId: string; cardId: string; values: Readonly<Record<string, string>>; problems?: FieldProblem[] }): FormCardData {
  const problems = options.problems ?? [];
  return {
    ...base(form, options.decisionId),
    cardId: options.cardId,
    headerStyle: 'accent',
    result: false,
    problems: problems.map((p) => p.message),
    fields: form.fields.map((f) => fieldData(f, Object.hasOwn(options.values, f.id) ? options.values[f.id] : '', problems)),
    outputs: [],
    note: '',
    tell: '',
    notLogged: false,
  };
}

/** The finished texts: shown escaped (plain text), copied raw. */
export function formResultData(form: Form, options: { decisionId: string; outputs: RenderedOutput[]; notLogged?: boolean }): FormCardData {
  return {
    ...base(form, options.decisionId),
    cardId: '',
    headerStyle: 'good',
    result: true,
    problems: [],
    fields: [],
    outputs: options.outputs.map((o) => ({ label: o.label, lines: o.text.split('\n').map(escapeMarkdown), text: o.text })),
    note: form.note ?? '',
    tell: form.tell ?? '',
    notLogged: options.notLogged ?? false,
  };
}

export function formCard(data: FormCardData): Attachment {
  return CardFactory.adaptiveCard(expandCard('form', data));
}
