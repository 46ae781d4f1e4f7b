import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { KnowledgeBaseError } from '../loader.js';
import { synonymProblems } from './analyzer.js';
import type { SearchData } from './knowledgeSearch.js';

/**
 * Reads kb/search/*.yaml (synonym families, extra search phrases), validates every file against
 * kb/schema/search.schema.json and checks the synonym families, then merges the files. All-or-nothing:
 * any problem throws a {@link KnowledgeBaseError} naming the file, line and place.
 */

interface Parsed {
  path: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

type Segments = (string | number)[];

function where(file: Parsed, segments: Segments): string {
  let line: number | undefined;
  for (let n = segments.length; n >= 0 && line === undefined; n--) {
    const node = file.doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) line = file.lines.linePos(node.range[0]).line;
  }
  const path = segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(root)';
  return `${file.path}${line ? `:${line}` : ''} (${path})`;
}

function schemaProblems(file: Parsed, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const extra =
      e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}" (remove it or check its spelling)` : '';
    return `${where(file, segments)}: ${e.message}${extra}`;
  });
}

export function loadSearchData(kbDir: string): SearchData {
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const dir = join(kbDir, 'search');
  if (!existsSync(dir)) throw new KnowledgeBaseError([`${rel(dir)}: no search data directory`]);
  const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(kbDir, 'schema', 'search.schema.json'), 'utf8')));

  const problems: string[] = [];
  const synonyms: string[][] = [];
  const origin: { file: Parsed; index: number }[] = [];
  const extra: Record<string, string[]> = {};
  const names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (names.length === 0) problems.push(`${rel(dir)}: no search data files (*.yaml)`);
  for (const name of names) {
    const path = rel(join(dir, name));
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(join(dir, name), 'utf8'), { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${path}: YAML syntax: ${e.message.split('\n')[0]}`);
      continue;
    }
    const file: Parsed = { path, doc, lines };
    const data = doc.toJS() as unknown;
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
  }
  for (const p of synonymProblems(synonyms)) {
    const o = origin[p.family];
    const other = p.other ? ` (the other: ${where(origin[p.other.family].file, ['synonyms', origin[p.other.family].index, p.other.member])})` : '';
    problems.push(`${where(o.file, ['synonyms', o.index, p.member])}: ${p.message}${other}`);
  }
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { synonyms, extra };
}
