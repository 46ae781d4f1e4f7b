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
    } else {
      if (node.line && !lineIds.has(node.line)) problems.push(`${locate(file, ['nodes', nodeId, 'line'])}: node "${nodeId}" names line "${node.line}", which is not in lines.yaml`);
      if (node.form && !formIds.has(node.form)) problems.push(`${locate(file, ['nodes', nodeId, 'form'])}: node "${nodeId}" names form "${node.form}", which is not in forms/`);
      for (const c of node.citations) c.seed ??= p.seed;
    }
  }
  return problems;
}

/**
 * Reads and validates the fill-in forms in `kbDir`/forms/*.yaml (the folder is optional):
 * schema, then what the schema cannot see (see {@link formProblems}); problems go to `problems`.
 */
export function loadForms(kbDir: string, problems: string[], hash?: ReturnType<typeof createHash>): Form[] {
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const formDir = join(kbDir, 'forms');
  if (!existsSync(formDir)) return [];
  const validateForm = schemaValidator(kbDir, 'form.schema.json');
  const forms: Form[] = [];
  const owners = new Map<string, string>();
  for (const name of readdirSync(formDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = parseYaml(rel(join(formDir, name)), problems);
    if (!file) continue;
    hash?.update(`forms/${name}\0${file.text}\0`);
    const data = file.doc.toJS();
    if (!validateForm(data)) {
      problems.push(...schemaProblems(file, validateForm.errors));
      continue;
    }
    const form = data as Form;
    const other = owners.get(form.id);
    if (other) problems.push(`${locate(file, ['id'])}: form id "${form.id}" is already used by ${other}`);
    owners.set(form.id, file.path);
    for (const p of formProblems(form)) problems.push(`${locate(file, p.path)}: ${p.message}`);
    form.file = basename(file.path);
    forms.push(form);
  }
  return forms;
}

/**
 * Reads and validates the whole knowledge base in `kbDir` (procedures/*.yaml, lines.yaml, forms/*.yaml).
 * All-or-nothing: any problem throws a {@link KnowledgeBaseError} listing every problem found,
 * so a bot never starts with half of its procedures.
 */
export function loadKnowledgeBase(kbDir: string): KnowledgeBase {
  const problems: string[] = [];
  const hash = createHash('sha256');
  const rel = (p: string) => relative(process.cwd(), p) || p;

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
  const forms = loadForms(kbDir, problems, hash);
  const formIds = new Set(forms.map((f) => f.id));

  const validateProcedure = schemaValidator(kbDir, 'procedure.schema.json');
  const procDir = join(kbDir, 'procedures');
  const procedures: Procedure[] = [];
  const owners = new Map<string, string>();
  for (const name of readdirSync(procDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = parseYaml(rel(join(procDir, name)), problems);
    if (!file) continue;
    hash.update(`${name}\0${file.text}\0`);
    const data = file.doc.toJS();
    if (!validateProcedure(data)) {
      problems.push(...schemaProblems(file, validateProcedure.errors));
      continue;
    }
    const p = data as Procedure;
    const other = owners.get(p.id);
    if (other) problems.push(`${locate(file, ['id'])}: procedure id "${p.id}" is already used by ${other}`);
    owners.set(p.id, file.path);
    problems.push(...referenceProblems(file, p, lineIds, formIds));
    p.file = basename(file.path);
    procedures.push(p);
  }
  if (procedures.length === 0 && problems.length === 0) problems.push(`${rel(procDir)}: no procedure files (*.yaml)`);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return { procedures, lines, forms, version: hash.digest('hex').slice(0, 12) };
}
