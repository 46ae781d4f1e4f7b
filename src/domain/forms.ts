import { isoDate, parseDate } from './dates.js';
import type { Form, FormField } from './types.js';

/**
 * Fill-in forms: pure functions over a form definition (kb/forms/*.yaml) and the values an
 * operator typed. No I/O and no card knowledge: the bot renders cards from these results
 * (src/dialogs/formCards.ts) and the loader and linter use the template parser.
 *
 * Template language (documented for knowledge managers in docs/forms.md):
 * - `{fieldId}` — the field's value (a date in the field's format, dd/MM by default);
 * - `[[ ... ]]` — an optional part, left out when any field inside it is empty;
 * - a template line that is left blank by a left-out optional part is dropped.
 */

/** Submit keys the bot's own card data uses; a field may not be called so. */
export const RESERVED_FIELD_IDS = ['action', 'formId', 'decisionId', 'cardId'] as const;

export const DEFAULT_MAX_LENGTH = { text: 200, multiline: 2000 } as const;

export type TemplatePart =
  | { type: 'literal'; text: string }
  | { type: 'field'; id: string }
  | { type: 'optional'; parts: ({ type: 'literal'; text: string } | { type: 'field'; id: string })[] };

/** A template split into lines of parts; `problems` lists syntax errors (unbalanced `[[`, bad `{…}`). */
export interface ParsedTemplate {
  lines: TemplatePart[][];
  problems: string[];
}

const PLACEHOLDER = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/;

/** Parses one template; never throws (a malformed template yields `problems`). */
export function parseTemplate(template: string): ParsedTemplate {
  const problems: string[] = [];
  const lines = template.replace(/\r\n?/g, '\n').split('\n').map((line, lineIndex) => {
    const where = `template line ${lineIndex + 1}`;
    const parts: TemplatePart[] = [];
    let optional: Extract<TemplatePart, { type: 'optional' }> | undefined;
    const add = (part: { type: 'literal'; text: string } | { type: 'field'; id: string }) => {
      const into = optional ? optional.parts : parts;
      const last = into[into.length - 1];
      if (part.type === 'literal' && last?.type === 'literal') last.text += part.text;
      else into.push(part);
    };
    let i = 0;
    while (i < line.length) {
      const rest = line.slice(i);
      if (rest.startsWith('[[')) {
        if (optional) problems.push(`${where}: "[[" inside another "[[ ... ]]" (optional parts cannot nest)`);
        else {
          optional = { type: 'optional', parts: [] };
          parts.push(optional);
        }
        i += 2;
      } else if (rest.startsWith(']]')) {
        if (!optional) problems.push(`${where}: "]]" without an opening "[["`);
        else {
          if (!optional.parts.some((p) => p.type === 'field')) problems.push(`${where}: an optional part "[[ ... ]]" must contain a {field}`);
          optional = undefined;
        }
        i += 2;
      } else if (rest[0] === '{') {
        const m = PLACEHOLDER.exec(rest);
        if (!m) {
          problems.push(`${where}: "{" must start a placeholder such as {company} (letters and digits, closed by "}")`);
          add({ type: 'literal', text: '{' });
          i += 1;
        } else {
          add({ type: 'field', id: m[1] });
          i += m[0].length;
        }
      } else if (rest[0] === '}') {
        problems.push(`${where}: "}" without an opening "{"`);
        i += 1;
      } else {
        const next = rest.search(/\[\[|\]\]|[{}]/);
        const text = next === -1 ? rest : rest.slice(0, next);
        add({ type: 'literal', text });
        i += text.length;
      }
    }
    if (optional) problems.push(`${where}: "[[" is not closed by "]]" on the same line`);
    return parts;
  });
  return { lines, problems };
}

/** Ids of the fields a template names, with whether each use is inside an optional part. */
export function templateFields(parsed: ParsedTemplate): { id: string; optional: boolean }[] {
  const out: { id: string; optional: boolean }[] = [];
  for (const line of parsed.lines)
    for (const part of line) {
      if (part.type === 'field') out.push({ id: part.id, optional: false });
      else if (part.type === 'optional') for (const p of part.parts) if (p.type === 'field') out.push({ id: p.id, optional: true });
    }
  return out;
}

/** Characters around fixed words that are layout, not words (checked words are what remains). */
const SEPARATORS = /^[\s\u00a0:;,.!?—–\-•·№«»"'()/+*]+|[\s\u00a0:;,.!?—–\-•·№«»"'()/+*]+$/g;

/**
 * The fixed words of a template: the literal text between placeholders, cut at line breaks and
 * optional-part brackets, with separator punctuation trimmed off the ends. The linter checks each
 * against the form's seed.
 */
export function templateLiterals(template: string): string[] {
  const out: string[] = [];
  const push = (text: string) => {
    const t = text.replace(SEPARATORS, '');
    if (t) out.push(t);
  };
  for (const line of parseTemplate(template).lines)
    for (const part of line) {
      if (part.type === 'literal') push(part.text);
      else if (part.type === 'optional') for (const p of part.parts) if (p.type === 'literal') push(p.text);
    }
  return out;
}

/**
 * Structural problems of a form the schema cannot see: duplicate or reserved field ids, a
 * template naming a missing field or an optional field outside `[[ ]]`, a default outside the
 * choices, a regex that does not compile. Each problem has the path inside the form file.
 */
export function formProblems(form: Form): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const ids = new Map<string, number>();
  form.fields.forEach((f, i) => {
    if (ids.has(f.id)) problems.push({ path: ['fields', i, 'id'], message: `field id "${f.id}" is used twice` });
    ids.set(f.id, i);
    if ((RESERVED_FIELD_IDS as readonly string[]).includes(f.id))
      problems.push({ path: ['fields', i, 'id'], message: `field id "${f.id}" is reserved for the card's own data (${RESERVED_FIELD_IDS.join(', ')})` });
    const onlyFor = (prop: keyof FormField, kinds: FormField['kind'][]) => {
      if (f[prop] !== undefined && !kinds.includes(f.kind)) problems.push({ path: ['fields', i, prop], message: `"${prop}" is only for fields of kind ${kinds.join(' or ')}, not ${f.kind}` });
    };
    onlyFor('choices', ['choice']);
    onlyFor('regex', ['text']);
    onlyFor('format', ['date']);
    onlyFor('min', ['number']);
    onlyFor('max', ['number']);
    onlyFor('maxLength', ['text', 'multiline']);
    onlyFor('placeholder', ['text', 'multiline', 'number']);
    if (f.regex !== undefined) {
      try {
        new RegExp(f.regex);
      } catch (e) {
        problems.push({ path: ['fields', i, 'regex'], message: `regex does not compile: ${(e as Error).message}` });
      }
    }
    if (f.default !== undefined && f.kind === 'choice' && !(f.choices ?? []).some((c) => c.value === f.default))
      problems.push({ path: ['fields', i, 'default'], message: `default "${f.default}" is not one of the choices` });
    if (f.default !== undefined && f.kind === 'date' && f.default !== 'today') problems.push({ path: ['fields', i, 'default'], message: 'a date default can only be "today"' });
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) problems.push({ path: ['fields', i, 'min'], message: 'min is greater than max' });
  });
  (form.oneOf ?? []).forEach((g, gi) =>
    g.fields.forEach((id, fi) => {
      if (!ids.has(id)) problems.push({ path: ['oneOf', gi, 'fields', fi], message: `"${id}" is not a field of this form` });
    }),
  );
  const used = new Set<string>();
  form.outputs.forEach((o, oi) => {
    const parsed = parseTemplate(o.template);
    for (const p of parsed.problems) problems.push({ path: ['outputs', oi, 'template'], message: p });
    for (const { id, optional } of templateFields(parsed)) {
      used.add(id);
      const i = ids.get(id);
      if (i === undefined) problems.push({ path: ['outputs', oi, 'template'], message: `placeholder {${id}} is not a field of this form` });
      else if (!optional && !form.fields[i].required)
        problems.push({ path: ['outputs', oi, 'template'], message: `field "${id}" is not required: put {${id}} inside "[[ ... ]]" so the part is left out when it is empty` });
    }
  });
  form.fields.forEach((f, i) => {
    if (!used.has(f.id)) problems.push({ path: ['fields', i, 'id'], message: `field "${f.id}" is not used in any output template` });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Values

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(date: { year: number; month: number; day: number }, format: FormField['format'] = 'dd/MM'): string {
  return format === 'dd.MM.yyyy' ? `${pad(date.day)}.${pad(date.month)}.${date.year}` : `${pad(date.day)}/${pad(date.month)}`;
}

/** The values a fresh form card starts with: defaults, a date default `today` as the card wants it. */
export function defaultValues(form: Form, today: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of form.fields) if (f.default !== undefined) out[f.id] = f.kind === 'date' && f.default === 'today' ? today : f.default;
  return out;
}

export interface FieldProblem {
  fieldId: string;
  message: string;
}

export interface RenderedOutput {
  label: string;
  text: string;
}

export type FormResult =
  | {
      ok: true;
      /** All outputs as one text (labelled when there is more than one). */
      text: string;
      outputs: RenderedOutput[];
      /** The filled values as they went into the text (empty fields left out): what is logged. */
      values: Record<string, string>;
    }
  | { ok: false; problems: FieldProblem[] };

const maxLengthOf = (f: FormField) => f.maxLength ?? (f.kind === 'multiline' ? DEFAULT_MAX_LENGTH.multiline : DEFAULT_MAX_LENGTH.text);

/** Fills a template with values already formatted for the text (see {@link validateForm}). */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const value = (id: string) => (Object.hasOwn(values, id) ? values[id] : '');
  const out: string[] = [];
  for (const line of parseTemplate(template).lines) {
    let text = '';
    let hadOptional = false;
    for (const part of line) {
      if (part.type === 'literal') text += part.text;
      else if (part.type === 'field') text += value(part.id);
      else {
        hadOptional = true;
        if (part.parts.every((p) => p.type === 'literal' || value(p.id) !== '')) text += part.parts.map((p) => (p.type === 'literal' ? p.text : value(p.id))).join('');
      }
    }
    if (hadOptional && text.trim() === '') continue;
    out.push(text.replace(/[ \t]+$/g, ''));
  }
  return out.join('\n').trim();
}

/**
 * Checks what an operator submitted against the form's rules (required, regex, choices, dates,
 * numbers, lengths, «at least one of») — the same rules the card states, since a card client may
 * not enforce them — and on success renders every output. Problems come in the form's field order.
 */
export function validateForm(form: Form, submitted: Readonly<Record<string, string | undefined>>, options: { today?: string } = {}): FormResult {
  const today = options.today ?? isoDate(new Date());
  const year = Number(today.slice(0, 4));
  const problems: FieldProblem[] = [];
  const values: Record<string, string> = {};

  for (const f of form.fields) {
    const raw = Object.hasOwn(submitted, f.id) ? submitted[f.id] : undefined;
    let v = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    if (f.kind !== 'multiline') v = v.replace(/\s*\n\s*/g, ' ');
    const problem = (message: string) => problems.push({ fieldId: f.id, message });
    if (v === '') {
      if (f.required) problem(`Заполните поле «${f.label}».`);
      continue;
    }
    if (v.length > maxLengthOf(f)) {
      problem(`«${f.label}»: не больше ${maxLengthOf(f)} знаков.`);
      continue;
    }
    switch (f.kind) {
      case 'text':
      case 'multiline':
        if (f.regex !== undefined && !new RegExp(f.regex).test(v)) {
          problem(f.errorMessage ?? `«${f.label}»: значение в неверном формате.`);
          continue;
        }
        break;
      case 'choice':
        if (!(f.choices ?? []).some((c) => c.value === v)) {
          problem(`«${f.label}»: выберите вариант из списка.`);
          continue;
        }
        break;
      case 'date': {
        const d = parseDate(v, year);
        if (!d) {
          problem(`«${f.label}»: укажите дату, например ${formatDate({ year, month: 4, day: 17 }, f.format)}.`);
          continue;
        }
        v = formatDate(d, f.format);
        break;
      }
      case 'number': {
        const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
        if (Number.isNaN(n) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
          const range = f.min !== undefined && f.max !== undefined ? ` от ${f.min} до ${f.max}` : f.min !== undefined ? ` не меньше ${f.min}` : f.max !== undefined ? ` не больше ${f.max}` : '';
          problem(f.errorMessage ?? `«${f.label}»: укажите целое число${range}.`);
          continue;
        }
        v = String(n);
        break;
      }
    }
    values[f.id] = v;
  }

  for (const group of form.oneOf ?? []) {
    const filled = group.fields.some((id) => Object.hasOwn(submitted, id) && typeof submitted[id] === 'string' && submitted[id]!.trim() !== '');
    if (!filled) problems.push({ fieldId: group.fields[0], message: group.message });
  }
  if (problems.length > 0) {
    const order = new Map(form.fields.map((f, i) => [f.id, i]));
    return { ok: false, problems: problems.map((p, i) => ({ p, i })).sort((a, b) => (order.get(a.p.fieldId)! - order.get(b.p.fieldId)!) || a.i - b.i).map((x) => x.p) };
  }

  const outputs = form.outputs.map((o) => ({ label: o.label, text: renderTemplate(o.template, values) }));
  const text = outputs.length === 1 ? outputs[0].text : outputs.map((o) => `${o.label}:\n${o.text}`).join('\n\n');
  return { ok: true, text, outputs, values };
}
