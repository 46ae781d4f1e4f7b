/**
 * The evaluation set for free-text understanding (kb/examples/*.yaml, the tuning side the classifier
 * also learns from, and test/fixtures/eval/held-out.yaml): every row must be
 * something the procedures can judge — a real procedure, answers that are a walk from its start,
 * `complete` exactly when that walk ends at an outcome — and no message may appear twice.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EngineError, locate, type Answer, type Facts, type Position } from '../../src/domain/engine.js';
import type { Procedure } from '../../src/domain/types.js';
import { realKb, repoRoot } from '../support/kb.js';
import type { EvalRow } from '../../src/domain/search/evaluate.js';

const EVAL_DIRS = [join(repoRoot, 'kb/examples'), join(repoRoot, 'test/fixtures/eval')];
const EXPECTS = ['procedure', 'smalltalk', 'none'];
const TAGS = new Set([
  'paraphrase', 'shorthand', 'slang', 'typo', 'negation', 'contrast', 'count-digits', 'count-words',
  'two-part', 'faq', 'latin-mix', 'no-punctuation', 'greeting', 'thanks', 'out-of-scope',
]);
const ROW_KEYS = new Set(['text', 'expect', 'procedure', 'faq', 'answers', 'complete', 'outcome', 'tags']);

/** A row as read from the file, before `expect` is known to be valid. */
type Row = Omit<EvalRow, 'expect'> & { expect: string };

/** Every assignment of the procedure's check-node facts (cases per fact name), so check nodes can be passed. */
function factChoices(proc: Procedure): Facts[] {
  const values = new Map<string, Set<string>>();
  for (const node of Object.values(proc.nodes)) {
    if (node.type !== 'check') continue;
    const set = values.get(node.fact) ?? new Set<string>();
    for (const value of Object.keys(node.cases)) set.add(value);
    values.set(node.fact, set);
  }
  let choices: Record<string, string>[] = [{}];
  for (const [fact, set] of values) choices = choices.flatMap((c) => [...set].map((v) => ({ ...c, [fact]: v })));
  return choices;
}

/** The positions the answers reach under some facts; the errors of the facts under which they are no walk. */
function walks(proc: Procedure, answers: readonly Answer[]): { reached: Position[]; errors: string[] } {
  const reached: Position[] = [];
  const errors: string[] = [];
  for (const facts of factChoices(proc)) {
    try {
      reached.push(locate(proc, answers, facts));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors.push(e.message);
    }
  }
  return { reached, errors };
}

/** Whether each answer names a question node of the procedure and one of its options. */
function answerProblems(proc: Procedure, answers: readonly { node: string; option: string }[]): string[] {
  return answers.flatMap((a) => {
    if (a === null || typeof a !== 'object') return [`answer ${JSON.stringify(a)} is not { node, option }`];
    const node = Object.prototype.hasOwnProperty.call(proc.nodes, a.node) ? proc.nodes[a.node] : undefined;
    if (!node) return [`no node "${a.node}"`];
    if (node.type !== 'question') return [`"${a.node}" is a ${node.type} node, not a question`];
    if (!node.options.some((o) => o.id === a.option)) return [`question "${a.node}" has no option "${a.option}"`];
    return [];
  });
}

/** Everything wrong with one row, as readable sentences (empty = valid). */
function rowProblems(row: Row): string[] {
  if (row === null || typeof row !== 'object') return ['row is not a mapping'];
  const problems: string[] = [];
  if (typeof row.text !== 'string' || row.text.trim() === '') return ['text is missing'];
  if (row.tags !== undefined && !Array.isArray(row.tags)) return ['tags must be a list'];
  for (const key of Object.keys(row)) if (!ROW_KEYS.has(key)) problems.push(`unknown key "${key}"`);
  for (const tag of row.tags ?? []) if (!TAGS.has(tag)) problems.push(`unknown tag "${tag}"`);
  if (!EXPECTS.includes(row.expect)) return [...problems, `expect must be one of ${EXPECTS.join(', ')}, got ${JSON.stringify(row.expect)}`];

  if (row.expect !== 'procedure') {
    for (const key of ['procedure', 'faq', 'complete', 'outcome'] as const)
      if (row[key] !== undefined) problems.push(`${row.expect} row has "${key}"`);
    if (row.answers !== undefined && !(Array.isArray(row.answers) && row.answers.length === 0)) problems.push(`${row.expect} row has answers`);
    return problems;
  }

  const proc = realKb().procedures.find((p) => p.id === row.procedure);
  if (!proc) return [...problems, `no procedure "${row.procedure}"`];
  if (row.faq !== undefined) {
    const node = proc.nodes[row.faq];
    if (!node || node.type !== 'outcome' || node.kind !== 'faq') problems.push(`"${row.faq}" is not a faq outcome of ${proc.id}`);
  }

  const stated = row.answers ?? [];
  if (!Array.isArray(stated)) return [...problems, 'answers must be a list'];
  const invalid = answerProblems(proc, stated);
  if (invalid.length > 0) return [...problems, ...invalid];

  const { reached, errors } = walks(proc, stated.map((a) => ({ nodeId: a.node, optionId: a.option })));
  if (reached.length === 0) return [...problems, `answers are no walk from "${proc.start}": ${errors[0]}`];

  const outcomes = reached.filter((p) => p.type === 'outcome').map((p) => p.nodeId);
  if (row.complete === true) {
    if (outcomes.length === 0) problems.push('complete, but the answers stop at a question');
    else if (row.outcome !== undefined && !outcomes.includes(row.outcome))
      problems.push(`the answers lead to ${outcomes.join(' / ')}, not "${row.outcome}"`);
  } else {
    // A walk that ends at an outcome states every decisive fact: the row must say so.
    if (outcomes.length === reached.length) problems.push(`the answers reach the outcome ${outcomes[0]}: mark the row complete`);
    if (row.outcome !== undefined) problems.push('outcome is given without complete: true');
  }
  return problems;
}

const paths = new Map(EVAL_DIRS.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : []).map((f) => [f, join(dir, f)] as const)));
const files = [...paths.keys()];
const rowsOf = (file: string): Row[] => parse(readFileSync(paths.get(file)!, 'utf8')) ?? [];
/** Texts compared as operators would see them the same: case, ё and spacing aside. */
const normText = (s: string) => s.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

describe('eval set: kb/examples/*.yaml and test/fixtures/eval/held-out.yaml', () => {
  it('has the held-out half and tuning files', () => {
    expect(files).to.include('held-out.yaml');
    expect(files.length).to.be.above(1);
  });

  for (const file of files) {
    it(`${file}: every row is a valid judgement by the procedures`, () => {
      const rows = rowsOf(file);
      expect(rows, `${file} must be a list of rows`).to.be.an('array').that.is.not.empty;
      const bad = rows.flatMap((row, i) => rowProblems(row).map((p) => `#${i + 1} «${row?.text}»: ${p}`));
      expect(bad, bad.join('\n')).to.be.empty;
    });
  }

  it('no message appears twice across the files', () => {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const file of files)
      rowsOf(file).forEach((row, i) => {
        const key = normText(String(row.text));
        const where = `${file}#${i + 1}`;
        const first = seen.get(key);
        // A writer meeting the held-out half learns only which own row to delete: a reworded copy would tune on it.
        if (first && [first, where].some((w) => w.startsWith('held-out.yaml#')))
          dups.push(`${[first, where].find((w) => !w.startsWith('held-out.yaml#'))} repeats a row of the held-out half: delete the row, do not reword it`);
        else if (first) dups.push(`«${row.text}»: ${first} and ${where}`);
        else seen.set(key, where);
      });
    expect(dups, dups.join('\n')).to.be.empty;
  });

  it('rejects rows that are no walk, claim an outcome they do not reach, or miss complete', () => {
    const base = { expect: 'procedure', procedure: 'call-termination' };
    expect(rowProblems({ ...base, text: 'a', answers: [{ node: 'obscenity_count', option: 'twice' }] }).join()).to.match(/no walk/);
    expect(rowProblems({ ...base, text: 'a', answers: [{ node: 'situation', option: 'nope' }] }).join()).to.match(/no option/);
    expect(
      rowProblems({ ...base, text: 'a', answers: [{ node: 'situation', option: 'insults' }, { node: 'insults_count', option: 'none' }], complete: true, outcome: 'insults_end' }).join(),
    ).to.match(/not "insults_end"/);
    expect(rowProblems({ ...base, text: 'a', answers: [{ node: 'situation', option: 'insults' }], complete: true }).join()).to.match(/stop at a question/);
    expect(rowProblems({ ...base, text: 'a', answers: [{ node: 'situation', option: 'other' }] }).join()).to.match(/mark the row complete/);
    expect(rowProblems({ text: 'привет', expect: 'smalltalk', procedure: 'call-termination' }).join()).to.match(/smalltalk row has "procedure"/);
    expect(rowProblems({ text: 'привет', expect: 'smalltalk', answers: [] })).to.be.empty;
    expect(rowProblems({ text: 'привет', expect: 'chat' }).join()).to.match(/expect must be one of/);
    expect(rowProblems({ ...base, text: 'a', answers: [{ node: 'situation', option: 'insults' }, { node: 'insults_count', option: 'none' }], complete: true, outcome: 'insults_warn' })).to.be.empty;
  });

  it('passes check nodes by their facts: potential-corporate walks through its clock check', () => {
    const base = { text: 'a', expect: 'procedure', procedure: 'potential-corporate' };
    const connect = { node: 'topic', option: 'connect' };
    // Only with telesales closed is connect_willing asked at all.
    expect(rowProblems({ ...base, answers: [connect, { node: 'connect_willing', option: 'yes' }], complete: true, outcome: 'create_case' })).to.be.empty;
    // Open, the clock alone ends the walk; closed, a question remains: both readings are fine.
    expect(rowProblems({ ...base, answers: [connect] })).to.be.empty;
    expect(rowProblems({ ...base, answers: [connect], complete: true, outcome: 'connect_to_telesales' })).to.be.empty;
  });
});
