import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnowledgeBaseError, loadKnowledgeBase } from '../../src/domain/loader.js';
import { lintKnowledgeBase } from '../../src/domain/lint.js';
import type { AnswerOption, KnowledgeBase, OutcomeNode, Procedure, ProcedureNode } from '../../src/domain/types.js';
import { kbDir, procedure, realKb, seeds } from '../support/kb.js';

// ---------------------------------------------------------------------------------------------
// Small factories for the linter's negative cases.

const SEED = '001_x.txt';
const SEED_TEXT = 'Раздел.\nЕсли клиента не слышно, говорим: «Вас не слышно, пожалуйста, повторите вопрос».\nКонец раздела.';

function outcome(extra: Partial<OutcomeNode> = {}): OutcomeNode {
  return { type: 'outcome', kind: 'actions', headline: 'Сделайте', actions: ['x'], citations: [{ seed: SEED, quote: 'Если клиента не слышно' }], ...extra };
}

function proc(nodes: Record<string, ProcedureNode>, start = 'q'): Procedure {
  return { id: 'p', version: 1, title: 'T', summary: 'S', seed: SEED, section: 'X', triggers: ['t'], start, nodes, file: '001-p.yaml' };
}

const twoWay = (a: string, b: string): ProcedureNode => ({
  type: 'question',
  text: 'Q?',
  options: [
    { id: 'a', label: 'A', next: a },
    { id: 'b', label: 'B', next: b },
  ],
});

function kbOf(...procedures: Procedure[]): KnowledgeBase {
  return { procedures, lines: [], version: 'test' };
}
const testSeeds = new Map([[SEED, SEED_TEXT]]);
const clone = <T>(x: T): T => structuredClone(x);

describe('domain: knowledge-base lint', () => {
  it('rejects evidence that guesses: a phrase stating two options, a shared label word, count ranges that overlap or have no count question', () => {
    const q = (options: AnswerOption[], count?: { means: 'given' }): ProcedureNode => ({ type: 'question', text: 'Q?', options, ...(count ? { count } : {}) });
    const problems = lintKnowledgeBase(
      kbOf(
        proc({
          q: q([
            { id: 'a', label: 'Анкета совпадает', evidence: { asserts: ['анкета', 'всё совпадает'] }, next: 'c' },
            { id: 'b', label: 'Анкета другая', evidence: { asserts: ['Всё совпадает'], count: { min: 1 } }, next: 'c' },
          ]),
          c: q([{ id: 'x', label: 'X', evidence: { count: { max: 1 } }, next: 'o' }, { id: 'y', label: 'Y', evidence: { count: { min: 1 } }, next: 'o' }], { means: 'given' }),
          o: outcome(),
        }),
      ),
      testSeeds,
    );
    expect(problems).to.deep.equal([
      '001-p.yaml node "q": option "a": «анкета» is a word of several options\' labels; a shared word never asserts one option',
      '001-p.yaml node "q": «Всё совпадает» asserts both options "a" and "b"; a phrase may state one option only',
      '001-p.yaml node "q": option "b" has a count range but the question has no «count»',
      '001-p.yaml node "c": options "x" and "y" have overlapping count ranges',
    ]);
  });

  it('the real knowledge base lints clean against the real seeds', () => {
    expect(lintKnowledgeBase(realKb(), seeds())).to.deep.equal([]);
  });

  it('a sound factory procedure lints clean (quotes match across line breaks and repeated spaces)', () => {
    const p = proc({ q: twoWay('o1', 'o2'), o1: outcome(), o2: outcome({ citations: [{ seed: SEED, quote: 'Раздел.   Если   клиента не слышно' }] }) });
    expect(lintKnowledgeBase(kbOf(p), testSeeds)).to.deep.equal([]);
  });

  it('reports a quote that is not in the seed, naming the file and the node', () => {
    const p = proc({ q: twoWay('o1', 'o2'), o1: outcome(), o2: outcome({ citations: [{ seed: SEED, quote: 'Если клиента не видно' }] }) });
    const problems = lintKnowledgeBase(kbOf(p), testSeeds);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('001-p.yaml').and.include('node "o2"').and.include('does not occur verbatim').and.include('Если клиента не видно');
  });

  it('reports a quote that names a seed that does not exist', () => {
    const p = proc({ q: twoWay('o1', 'o1'), o1: outcome({ citations: [{ seed: '009_nope.txt', quote: 'Если клиента не слышно' }] }) });
    expect(lintKnowledgeBase(kbOf(p), testSeeds).join('\n')).to.include('node "o1"').and.include('"009_nope.txt", which does not exist');
  });

  it('reports a standard phrase changed by one word', () => {
    const good = proc({ q: twoWay('o1', 'o1'), o1: outcome({ kind: 'phrase', phrases: [{ text: 'Вас не слышно, пожалуйста, повторите вопрос' }] }) });
    expect(lintKnowledgeBase(kbOf(good), testSeeds)).to.deep.equal([]);
    const bad = proc({ q: twoWay('o1', 'o1'), o1: outcome({ kind: 'phrase', phrases: [{ text: 'Вас не слышно, пожалуйста, повторите ваш вопрос' }] }) });
    const problems = lintKnowledgeBase(kbOf(bad), testSeeds);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('001-p.yaml node "o1"').and.include('standard phrase').and.include('повторите ваш вопрос');
  });

  it('reports a real standard phrase (СФ) changed by one word, naming its procedure file and node', () => {
    const real = clone(procedure('case-repeat-inquiry'));
    const node = real.nodes.dispatch_repeat as OutcomeNode;
    node.phrases = [{ text: node.phrases![0].text.replace('ускорить', 'ускорять') }];
    const problems = lintKnowledgeBase(kbOf(real), seeds());
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('001-case-repeat-inquiry.yaml node "dispatch_repeat"').and.include('standard phrase');
  });

  it('reports a quote whose seed typo was "corrected" (Latin c in Open-Dispatсh)', () => {
    const real = clone(procedure('case-repeat-inquiry'));
    const node = real.nodes.dispatch_repeat as OutcomeNode;
    expect(node.citations[0].quote).to.include('Open-Dispat\u0441h');
    node.citations[0].quote = node.citations[0].quote.replace('Open-Dispat\u0441h', 'Open-Dispatch');
    const problems = lintKnowledgeBase(kbOf(real), seeds());
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('node "dispatch_repeat"').and.include('citation 1 does not occur verbatim');
  });

  it('reports an unreachable node', () => {
    const p = proc({ q: twoWay('o1', 'o1'), o1: outcome(), orphan: outcome() });
    const problems = lintKnowledgeBase(kbOf(p), testSeeds);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('001-p.yaml node "orphan"').and.include('unreachable from start "q"');
  });

  it('counts a check node as reached through its cases, and reports one nobody leads to', () => {
    const check: ProcedureNode = { type: 'check', fact: 'telesalesOpen', text: 'Работают?', cases: { yes: 'o1', no: 'o2' } };
    const reached = proc({ q: twoWay('hours', 'o2'), hours: check, o1: outcome(), o2: outcome() });
    expect(lintKnowledgeBase(kbOf(reached), testSeeds)).to.deep.equal([]);
    const orphanCheck = proc({ q: twoWay('o2', 'o2'), hours: { ...check, cases: { yes: 'o1', no: 'o1' } }, o1: outcome(), o2: outcome() });
    const problems = lintKnowledgeBase(kbOf(orphanCheck), testSeeds).join('\n');
    expect(problems).to.include('node "hours"').and.include('node "o1"').and.include('unreachable');
  });

  it('reports a cycle with its nodes', () => {
    const p = proc({ q: twoWay('r', 'o1'), r: twoWay('q', 'o1'), o1: outcome() });
    const problems = lintKnowledgeBase(kbOf(p), testSeeds);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include('001-p.yaml').and.include('nodes loop: q -> r -> q');
  });

  it('reports a procedure whose seed does not exist', () => {
    const p = { ...proc({ q: twoWay('o1', 'o1'), o1: outcome() }), seed: '007_missing.txt' };
    expect(lintKnowledgeBase(kbOf(p), testSeeds).join('\n')).to.include('seed "007_missing.txt" does not exist');
  });

  it('reports a line whose citation is not in the seed', () => {
    const kb = kbOf(proc({ q: twoWay('o1', 'o1'), o1: outcome() }));
    kb.lines = [{ id: 'l', name: 'линия', citations: [{ seed: SEED, quote: 'переключаем на линию Чудес' }] }];
    expect(lintKnowledgeBase(kb, testSeeds).join('\n')).to.include('lines.yaml line "l"').and.include('does not occur verbatim');
  });
});

// ---------------------------------------------------------------------------------------------
// Loader: a broken file in a copy of kb/ must be named with its line and node path.

describe('domain: knowledge-base loader errors', () => {
  const FILE = '001-case-repeat-inquiry.yaml';
  let dir: string;
  let original: string;
  const file = () => join(dir, 'procedures', FILE);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kb-test-'));
    cpSync(kbDir, dir, { recursive: true });
    original = readFileSync(file(), 'utf8');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Replaces the first `from` in the file and returns the 1-based line where the replacement starts. */
  function edit(from: string, to: string, path = file()): number {
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(from);
    expect(at, `«${from}» in ${path}`).to.be.greaterThan(-1);
    writeFileSync(path, text.slice(0, at) + to + text.slice(at + from.length));
    return text.slice(0, at).split('\n').length;
  }

  function loadError(): KnowledgeBaseError {
    try {
      loadKnowledgeBase(dir);
    } catch (e) {
      expect(e).to.be.instanceOf(KnowledgeBaseError);
      return e as KnowledgeBaseError;
    }
    throw new Error('expected the knowledge base to be rejected');
  }

  it('the unchanged copy loads', () => {
    expect(loadKnowledgeBase(dir).procedures.map((p) => p.id)).to.include('case-repeat-inquiry');
  });

  it('names file, line and option path for a `next` that leads nowhere', () => {
    const line = edit('next: to_retention', 'next: to_nowhere');
    const e = loadError();
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.include(`${FILE}:${line} (nodes.closed_category.options[0].next)`).and.include('"to_nowhere", which is not a node');
    expect(e.message).to.include(FILE);
  });

  it('names file, line and node for an unknown field', () => {
    edit('    line: retention\n', '    line: retention\n    colour: red\n');
    const e = loadError();
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.match(new RegExp(`${FILE}:\\d+ \\(nodes\\.to_retention\\)`)).and.include('"colour"');
  });

  it('names file, line and node path for a wrong kind, with the allowed kinds', () => {
    const line = edit('kind: transfer', 'kind: transfers');
    const e = loadError();
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.include(`${FILE}:${line} (nodes.to_retention.kind)`).and.include('notCovered');
  });

  it('names file and line of a YAML syntax error', () => {
    const line = edit('headline: Переключите клиента на линию Сохранения', 'headline: "Переключите клиента на линию Сохранения');
    const e = loadError();
    expect(e.problems.length).to.be.greaterThan(0);
    expect(e.problems[0]).to.include(FILE).and.include('YAML syntax').and.match(/at line \d+/);
    const lines = e.problems.map((p) => Number(/at line (\d+)/.exec(p)?.[1]));
    expect(Math.min(...lines)).to.be.at.least(line);
  });

  it('names file, line and node of a check question whose options are not the check’s cases', () => {
    const path = join(dir, 'procedures', '003-potential-corporate.yaml');
    edit('        - id: no\n          label: Нет — нерабочее время', '        - id: closed\n          label: Нет — нерабочее время', path);
    const e = loadError();
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.match(/003-potential-corporate\.yaml:\d+ \(nodes\.connect_hours\.ask\.options\)/).and.include('one option per case');
  });

  it('names both files of a duplicate procedure id', () => {
    writeFileSync(join(dir, 'procedures', '099-copy.yaml'), original);
    const e = loadError();
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.match(/099-copy\.yaml:1 \(id\)/).and.include('"case-repeat-inquiry" is already used by').and.include(FILE);
  });

  it('names the line id a node refers to when lines.yaml lacks it', () => {
    edit('  - id: retention\n', '  - id: retention-renamed\n', join(dir, 'lines.yaml'));
    const e = loadError();
    expect(e.problems.join('\n')).to.include(`${FILE}`).and.include('(nodes.to_retention.line)').and.include('"retention", which is not in lines.yaml');
  });

  it('lists the problems of every file at once, not just the first', () => {
    edit('next: to_retention', 'next: to_nowhere');
    edit('kind: actions', 'kind: actionz', join(dir, 'procedures', '001-case-send.yaml'));
    const problems = loadError().problems.join('\n');
    expect(problems).to.include(`${FILE}:`).and.include('001-case-send.yaml:').and.include('(nodes.press_send.kind)');
  });
});
