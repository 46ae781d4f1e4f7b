import type { KnowledgeBase, Procedure } from './types.js';
import { allPaths } from './paths.js';
import { templateLiterals } from './forms.js';
import { lookalikesToCyrillic } from './lookalikes.js';
import { evidenceProblems } from './understanding/evidenceLint.js';

/** Seed texts by file name. The linter gets them from the caller so it stays free of I/O. */
export type Seeds = ReadonlyMap<string, string>;

/** Quotes are compared with runs of white space (tabs, no-break spaces, line breaks) folded to one space. */
export function foldSpace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Form words are compared more loosely than quotes: white space folded, case ignored (a word may
 * start a line), and Latin look-alike letters read as Cyrillic (the seeds write «Cкидки» with a
 * Latin C and «Е-mail» with a Cyrillic Е; the text pasted into CRM should not copy those slips).
 */
export function foldFormText(text: string): string {
  return lookalikesToCyrillic(foldSpace(text).toLowerCase().replace(/ё/g, 'е'));
}

function findCycle(proc: Procedure): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done' || !proc.nodes[id]) return undefined;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    const node = proc.nodes[id];
    const nexts = node.type === 'question' ? node.options.map((o) => o.next) : node.type === 'check' ? Object.values(node.cases) : [];
    for (const n of nexts) {
      const c = visit(n);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  return visit(proc.start);
}

/**
 * Checks what the schema cannot: every node is reachable, nothing loops, option evidence is sound
 * (see {@link evidenceProblems}), and every citation
 * quote and standard phrase occurs word for word in the seed it names, and every form's fixed
 * template words, choices and client/operator texts occur in its seed. Returns the problems,
 * each naming the procedure file and node; an empty list means the knowledge base is sound.
 */
export function lintKnowledgeBase(kb: KnowledgeBase, seeds: Seeds): string[] {
  const problems: string[] = [];
  const folded = new Map([...seeds].map(([name, text]) => [name, foldSpace(text)]));
  const checkQuote = (where: string, seed: string, quote: string, what: string) => {
    const text = folded.get(seed);
    if (text === undefined) problems.push(`${where}: ${what} names seed "${seed}", which does not exist`);
    else if (!text.includes(foldSpace(quote))) problems.push(`${where}: ${what} does not occur verbatim in ${seed}: «${quote}»`);
  };

  const formFolded = new Map([...seeds].map(([name, text]) => [name, foldFormText(text)]));
  for (const form of kb.forms ?? []) {
    const at = `${form.file ?? form.id} form "${form.id}"`;
    const seed = formFolded.get(form.seed);
    if (seed === undefined) {
      problems.push(`${at}: seed "${form.seed}" does not exist`);
      continue;
    }
    const check = (what: string, text: string) => {
      if (!seed.includes(foldFormText(text))) problems.push(`${at}: ${what} does not occur in ${form.seed}: «${text}»`);
    };
    form.outputs.forEach((o, i) => templateLiterals(o.template).forEach((w) => check(`fixed words of output ${i + 1} («${o.label}»)`, w)));
    for (const f of form.fields) for (const c of f.choices ?? []) check(`choice of field "${f.id}"`, c.value);
    if (form.tell) check('«tell» (what to tell the client)', form.tell);
    if (form.note) check('«note»', form.note);
  }

  for (const line of kb.lines) line.citations.forEach((c, i) => checkQuote(`lines.yaml line "${line.id}"`, c.seed, c.quote, `citation ${i + 1}`));

  for (const proc of kb.procedures) {
    const at = (nodeId: string) => `${proc.file ?? proc.id} node "${nodeId}"`;
    if (!seeds.has(proc.seed)) problems.push(`${proc.file ?? proc.id}: seed "${proc.seed}" does not exist`);
    problems.push(...evidenceProblems(proc));
    const cycle = findCycle(proc);
    if (cycle) problems.push(`${proc.file ?? proc.id}: nodes loop: ${cycle.join(' -> ')}`);
    const reached = new Set<string>();
    for (const path of allPaths(proc)) {
      path.answers.forEach((a) => reached.add(a.nodeId));
      reached.add(path.outcome);
    }
    for (const [nodeId, node] of Object.entries(proc.nodes)) {
      if (node.type === 'check') {
        // A check node is passed through silently, so it is reached when something beyond it is.
        if (Object.values(node.cases).some((n) => reached.has(n))) reached.add(nodeId);
      }
    }
    for (const [nodeId, node] of Object.entries(proc.nodes)) {
      if (!reached.has(nodeId) && nodeId !== proc.start) problems.push(`${at(nodeId)}: unreachable from start "${proc.start}" (link it from an option or remove it)`);
      if (node.type !== 'outcome') continue;
      node.citations.forEach((c, i) => checkQuote(at(nodeId), c.seed, c.quote, `citation ${i + 1}`));
      const citedSeeds = [...new Set([proc.seed, ...node.citations.map((c) => c.seed)])];
      for (const phrase of node.phrases ?? []) {
        const f = foldSpace(phrase.text);
        if (!citedSeeds.some((s) => folded.get(s)?.includes(f))) problems.push(`${at(nodeId)}: standard phrase does not occur verbatim in ${citedSeeds.join(' or ')}: «${phrase.text}»`);
      }
    }
  }
  return problems;
}
