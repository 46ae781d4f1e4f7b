import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { formProblems } from './forms.js';
import type { Form, KnowledgeBase, Line, Procedure } from './types.js';
import { locate, parseYaml, schemaProblems, schemaValidator, type ParsedFile } from './yamlFile.js';

/** Thrown when any knowledge-base file is invalid; lists every problem, each with its file and place. */
export class KnowledgeBaseError extends Error {
  constructor(readonly problems: string[]) {
    super(`The knowledge base is invalid (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    this.name = 'KnowledgeBaseError';
  }
}

/** Checks a procedure's references: start, every `next`, every check case, every line and form. */
function referenceProblems(file: ParsedFile, p: Procedure, lineIds: Set<string>, formIds: Set<string>): string[] {
  const problems: string[] = [];
  const exists = (id: string) => Object.prototype.hasOwnProperty.call(p.nodes, id);
  if (!exists(p.start)) problems.push(`${locate(file, ['start'])}: start "${p.start}" is not a node of this procedure`);
  for (const [nodeId, node] of Object.entries(p.nodes)) {
    if (node.type === 'question') {
      const seen = new Set<string>();
      node.options.forEach((o, i) => {
        if (seen.has(o.id)) problems.push(`${locate(file, ['nodes', nodeId, 'options', i, 'id'])}: option id "${o.id}" is used twice in node "${nodeId}"`);
        seen.add(o.id);
        if (!exists(o.next)) problems.push(`${locate(file, ['nodes', nodeId, 'options', i, 'next'])}: node "${nodeId}" option "${o.id}" leads to "${o.next}", which is not a node of this procedure`);
      });
    } else if (node.type === 'check') {
      for (const [value, next] of Object.entries(node.cases)) {
        if (!exists(next)) problems.push(`${locate(file, ['nodes', nodeId, 'cases', value])}: node "${nodeId}" case "${value}" leads to "${next}", which is not a node of this procedure`);
      }
      const asked = (node.ask?.options ?? []).map((o) => o.id);
      if (node.ask && asked.sort().join() !== Object.keys(node.cases).sort().join())
        problems.push(`${locate(file, ['nodes', nodeId, 'ask', 'options'])}: node "${nodeId}" asks with options ${asked.join(', ')}, but its cases are ${Object.keys(node.cases).join(', ')} (one option per case)`);
    } else {
      if (node.line && !lineIds.has(node.line)) problems.push(`${locate(file, ['nodes', nodeId, 'line'])}: node "${nodeId}" names line "${node.line}", which is not in lines.yaml`);
      if (node.form && !formIds.has(node.form)) problems.push(`${locate(file, ['nodes', nodeId, 'form'])}: node "${nodeId}" names form "${node.form}", which is not in forms/`);
      for (const c of node.citations) c.seed ??= p.seed;
    }
  }
  return problems;
}

type Hash = ReturnType<typeof createHash>;
/** A path as the operator reads it in an error: relative to the working folder. */
export const rel = (p: string) => relative(process.cwd(), p) || p;

/**
 * Reads every *.yaml in `dir` as one `kind` each: schema first, then unique ids, then `check` for
 * what the schema cannot see. Problems go to `problems`; each file's text goes into `hash` (as
 * `hashPrefix` + file name) for the knowledge-base version.
 */
function loadFolder<T extends { id: string; file?: string }>(
  kbDir: string,
  dir: string,
  kind: string,
  problems: string[],
  hash: Hash,
  hashPrefix: string,
  check: (file: ParsedFile, item: T) => string[],
): T[] {
  const validate = schemaValidator(kbDir, `${kind}.schema.json`);
  const items: T[] = [];
  const owners = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = parseYaml(rel(join(dir, name)), problems);
    if (!file) continue;
    hash.update(`${hashPrefix}${name}\0${file.text}\0`);
    const data = file.doc.toJS();
    if (!validate(data)) {
      problems.push(...schemaProblems(file, validate.errors));
      continue;
    }
    const item = data as T;
    const other = owners.get(item.id);
    if (other) problems.push(`${locate(file, ['id'])}: ${kind} id "${item.id}" is already used by ${other}`);
    owners.set(item.id, file.path);
    problems.push(...check(file, item));
    item.file = basename(file.path);
    items.push(item);
  }
  return items;
}

/**
 * sources/titles.yaml: the names cards show for the seed texts. Optional (a knowledge base without
 * it shows file names); when present, every seed a procedure or its citations name has a title.
 */
function loadSourceTitles(kbDir: string, procedures: Procedure[], problems: string[], hash: Hash): Record<string, string> | undefined {
  const path = join(kbDir, 'sources', 'titles.yaml');
  if (!existsSync(path)) return undefined;
  const file = parseYaml(rel(path), problems);
  if (!file) return undefined;
  hash.update(`sources/titles.yaml\0${file.text}\0`);
  const data = file.doc.toJS();
  const validate = schemaValidator(kbDir, 'titles.schema.json');
  if (!validate(data)) return void problems.push(...schemaProblems(file, validate.errors));
  const titles = (data as { titles: Record<string, string> }).titles;
  const cited = new Set(procedures.flatMap((p) => [p.seed, ...Object.values(p.nodes).flatMap((n) => (n.type === 'outcome' ? n.citations.map((c) => c.seed) : []))]));
  for (const seed of cited) if (!Object.hasOwn(titles, seed)) problems.push(`${file.path}: no title for ${seed}, which procedures cite`);
  return titles;
}

/**
 * Reads and validates the whole knowledge base in `kbDir` (procedures/*.yaml, lines.yaml, forms/*.yaml).
 * All-or-nothing: any problem throws a {@link KnowledgeBaseError} listing every problem found,
 * so a bot never starts with half of its procedures.
 */
export function loadKnowledgeBase(kbDir: string): KnowledgeBase {
  const problems: string[] = [];
  const hash = createHash('sha256');

  let lines: Line[] = [];
  const linesFile = parseYaml(rel(join(kbDir, 'lines.yaml')), problems);
  if (linesFile) {
    hash.update(`lines.yaml\0${linesFile.text}\0`);
    const data = linesFile.doc.toJS();
    const validate = schemaValidator(kbDir, 'lines.schema.json');
    if (validate(data)) lines = (data as { lines: Line[] }).lines;
    else problems.push(...schemaProblems(linesFile, validate.errors));
  }
  const lineIds = new Set(lines.map((l) => l.id));
  // Forms are optional: a knowledge base without fill-in forms has no forms/ folder.
  const formDir = join(kbDir, 'forms');
  const forms = existsSync(formDir)
    ? loadFolder<Form>(kbDir, formDir, 'form', problems, hash, 'forms/', (file, form) => formProblems(form).map((p) => `${locate(file, p.path)}: ${p.message}`))
    : [];
  const formIds = new Set(forms.map((f) => f.id));

  const procDir = join(kbDir, 'procedures');
  const procedures = loadFolder<Procedure>(kbDir, procDir, 'procedure', problems, hash, '', (file, p) => referenceProblems(file, p, lineIds, formIds));
  if (procedures.length === 0 && problems.length === 0) problems.push(`${rel(procDir)}: no procedure files (*.yaml)`);
  const sourceTitles = loadSourceTitles(kbDir, procedures, problems, hash);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { procedures, lines, forms, ...(sourceTitles ? { sourceTitles } : {}), version: hash.digest('hex').slice(0, 12) };
}
