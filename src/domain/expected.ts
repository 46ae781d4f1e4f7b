import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Answer } from './engine.js';
import { allPaths } from './paths.js';
import type { KnowledgeBase, OutcomeKind } from './types.js';
import { locate, parseYaml, schemaProblems, schemaValidator, type ParsedFile } from './yamlFile.js';

/**
 * Expected outcomes beside the procedures (kb/expected/*.yaml, kb/schema/expected.schema.json):
 * for each procedure, every way through it written by hand from the seed. The tests check each
 * row against the outcome it reaches; here the rows are checked to be exactly the procedure's
 * paths, so a new branch without an expectation (or a row for a branch that is gone) is named.
 */

/** What the operator must see at the outcome. Fields left out must be absent from the outcome. */
export interface ExpectedOutcome {
  kind: OutcomeKind;
  /** Text that must occur in the headline (the large-type first action). */
  head: string;
  callResult?: string;
  /** Line id in kb/lines.yaml … */
  line?: string;
  /** … and the line's name as the operator reads it. */
  lineName?: string;
  /** The standard phrases, exactly and in order. */
  phrases?: string[];
  /** For kind `faq`: the seed's question. */
  question?: string;
  /** Text that must occur in the comment to write. */
  comment?: string;
  mandatory?: string[];
  desirable?: string[];
  /** Words that must occur somewhere the operator reads. */
  says?: string[];
}

export interface ExpectedRow {
  /** Question id → option id, in the order asked. */
  answers: Record<string, string>;
  /** Facts of the check nodes on the way (e.g. `telesalesOpen: no`). */
  facts?: Record<string, string>;
  outcome: string;
  expect: ExpectedOutcome;
}

export interface ExpectedFile {
  procedure: string;
  rows: ExpectedRow[];
  /** Path of the file, for messages. */
  file: string;
}

export const rowAnswers = (row: ExpectedRow): Answer[] => Object.entries(row.answers).map(([nodeId, optionId]) => ({ nodeId, optionId }));

/** `a=x, b=y [fact=v] -> outcome`: how a path or a row is named in messages. */
export function pathName(answers: readonly Answer[], facts: Readonly<Record<string, string>>, outcome: string): string {
  const f = Object.entries(facts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${answers.map((a) => `${a.nodeId}=${a.optionId}`).join(', ') || '(no answers)'}${f ? ` [${f}]` : ''} -> ${outcome}`;
}

export const rowName = (row: ExpectedRow) => pathName(rowAnswers(row), row.facts ?? {}, row.outcome);

/** Reads kb/expected/*.yaml (schema-checked); problems name file and line. */
export function loadExpected(kbDir: string): { files: ExpectedFile[]; problems: string[] } {
  const dir = join(kbDir, 'expected');
  const problems: string[] = [];
  const files: ExpectedFile[] = [];
  if (!existsSync(dir)) return { files, problems: [`${relative(process.cwd(), dir) || dir}: no expected outcomes folder`] };
  const validate = schemaValidator(kbDir, 'expected.schema.json');
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const parsed: ParsedFile | undefined = parseYaml(relative(process.cwd(), join(dir, name)) || name, problems);
    if (!parsed) continue;
    const data = parsed.doc.toJS();
    if (!validate(data)) {
      problems.push(...schemaProblems(parsed, validate.errors));
      continue;
    }
    const file = { ...(data as Omit<ExpectedFile, 'file'>), file: parsed.path };
    const seen = new Map<string, number>();
    file.rows.forEach((row, i) => {
      const key = rowName(row);
      if (seen.has(key)) problems.push(`${locate(parsed, ['rows', i])}: row ${key} repeats row ${seen.get(key)! + 1}`);
      seen.set(key, i);
    });
    files.push(file);
  }
  return { files, problems };
}

/**
 * Every procedure has one file named like its procedure file, and the file's rows are exactly
 * the procedure's paths: each missing path and each extra row is named.
 */
export function expectedProblems(kb: KnowledgeBase, files: readonly ExpectedFile[]): string[] {
  const problems: string[] = [];
  const byProcedure = new Map(files.map((f) => [f.procedure, f]));
  for (const f of files) if (!kb.procedures.some((p) => p.id === f.procedure)) problems.push(`${f.file}: procedure "${f.procedure}" does not exist`);
  for (const p of kb.procedures) {
    const file = byProcedure.get(p.id);
    if (!file) {
      problems.push(`kb/expected: no expected outcomes for procedure "${p.id}" (add kb/expected/${p.file ?? `${p.id}.yaml`})`);
      continue;
    }
    if (p.file && !file.file.endsWith(`/${p.file}`)) problems.push(`${file.file}: expected outcomes of "${p.id}" belong in kb/expected/${p.file}`);
    const paths = new Set(allPaths(p).map((x) => pathName(x.answers, x.facts, x.outcome)));
    const rows = new Set(file.rows.map(rowName));
    for (const x of paths) if (!rows.has(x)) problems.push(`${file.file}: no row for the path ${x} of "${p.id}"`);
    for (const x of rows) if (!paths.has(x)) problems.push(`${file.file}: row ${x} is not a path of "${p.id}"`);
  }
  return problems;
}
