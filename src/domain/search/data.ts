import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { KnowledgeBaseError, rel } from '../loader.js';
import { locate, parseYaml, schemaProblems, schemaValidator, type ParsedFile } from '../yamlFile.js';
import { synonymProblems } from './analyzer.js';
import { asGroups, type SearchData } from './knowledgeSearch.js';
import type { FormValueReader } from '../understanding/formValues.js';
import { DictionaryLexicon, type Lexicon } from './lexicon.js';
import { NONE, type Example } from './classifier.js';

let russian: DictionaryLexicon | undefined;

/**
 * The Russian words of `dictionary-ru` (LibreOffice's Hunspell dictionary), read once per process
 * when first asked (a quarter of a second on busy CPUs, not paid by a start or a message without typos).
 */
export function russianLexicon(): Lexicon {
  const read = () => new DictionaryLexicon(readFileSync(join(dirname(createRequire(import.meta.url).resolve('dictionary-ru')), 'index.dic'), 'utf8'));
  return { has: (word) => (russian ??= read()).has(word) };
}

/**
 * Reads kb/search/*.yaml (synonym families, extra search phrases), validates every file against
 * kb/schema/search.schema.json and checks the synonym families, then merges the files. All-or-nothing:
 * any problem throws a {@link KnowledgeBaseError} naming the file, line and place.
 */

export function loadSearchData(kbDir: string): SearchData {
  const dir = join(kbDir, 'search');
  if (!existsSync(dir)) throw new KnowledgeBaseError([`${rel(dir)}: no search data directory`]);
  const validate = schemaValidator(kbDir, 'search.schema.json');

  const problems: string[] = [];
  const synonyms: string[][] = [];
  const origin: { file: ParsedFile; index: number }[] = [];
  const extra: Record<string, string[]> = {};
  const formValues: Record<string, FormValueReader> = {};
  const requires: Record<string, string[][]> = {};
  const excludes: Record<string, string[]> = {};
  const prefer: Record<string, string[]> = {};
  const names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (names.length === 0) problems.push(`${rel(dir)}: no search data files (*.yaml)`);
  for (const name of names) {
    const file = parseYaml(rel(join(dir, name)), problems);
    if (!file) continue;
    const data = file.doc.toJS() as unknown;
    if (!validate(data)) {
      problems.push(...schemaProblems(file, validate.errors));
      continue;
    }
    const d = data as SearchData;
    (d.synonyms ?? []).forEach((family, index) => {
      synonyms.push(family);
      origin.push({ file, index });
    });
    for (const [key, phrases] of Object.entries(d.extra ?? {})) (extra[key] ??= []).push(...phrases);
    Object.assign(formValues, d.formValues ?? {});
    for (const [key, phrases] of Object.entries(d.requires ?? {})) (requires[key] ??= []).push(...asGroups(phrases));
    for (const [key, phrases] of Object.entries(d.excludes ?? {})) (excludes[key] ??= []).push(...phrases);
    for (const [key, phrases] of Object.entries(d.prefer ?? {})) (prefer[key] ??= []).push(...phrases);
  }
  for (const p of synonymProblems(synonyms)) {
    const o = origin[p.family];
    const other = p.other ? ` (the other: ${locate(origin[p.other.family].file, ['synonyms', origin[p.other.family].index, p.other.member])})` : '';
    problems.push(`${locate(o.file, ['synonyms', o.index, p.member])}: ${p.message}${other}`);
  }
  const examples = loadExamples(kbDir, problems);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { synonyms, extra, formValues, requires, excludes, prefer, ...(examples.length > 0 ? { examples } : {}) };
}

/**
 * kb/examples/*.yaml, if the folder is there: labelled messages, each validated against
 * kb/schema/examples.schema.json; the procedure a message asks (or none) is what the classifier learns.
 * Small talk is the search's own rule. Files in name order, rows in file order: the same files, the same model.
 */
function loadExamples(kbDir: string, problems: string[]): Example[] {
  const dir = join(kbDir, 'examples');
  if (!existsSync(dir)) return [];
  const validate = schemaValidator(kbDir, 'examples.schema.json');
  const out: Example[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = parseYaml(rel(join(dir, name)), problems);
    if (!file) continue;
    const rows = (file.doc.toJS() ?? []) as unknown;
    if (!validate(rows)) {
      problems.push(...schemaProblems(file, validate.errors));
      continue;
    }
    (rows as { text: string; expect: string; procedure?: string }[]).forEach((row, i) => {
      if (row.expect !== 'smalltalk') out.push({ text: row.text, label: row.expect === 'none' ? NONE : row.procedure!, at: locate(file, [i, 'procedure']) });
    });
  }
  return out;
}
