/**
 * The expected outcome tables (kb/expected/*.yaml), as a knowledge manager writes them: each row is written from the seed text (the
 * answers an operator gives → the outcome and what the operator must see), and the rows of a
 * procedure must be exactly the paths `allPaths` finds, so a new outcome or branch without a
 * written expectation fails, naming it.
 */
import { expect } from 'chai';
import { locate } from '../../src/domain/engine.js';
import { expectedProblems, loadExpected, rowAnswers, rowName, type ExpectedFile } from '../../src/domain/expected.js';
import type { OutcomeNode } from '../../src/domain/types.js';
import { kbDir, procedure, realKb } from '../support/kb.js';

let cached: ExpectedFile[] | undefined;
/** kb/expected, loaded once per test run; a file that does not load fails the run, naming it. */
function expectedFiles(): ExpectedFile[] {
  if (!cached) {
    const { files, problems } = loadExpected(kbDir);
    expect(problems, 'kb/expected').to.deep.equal([]);
    cached = files;
  }
  return cached;
}

/** Everything an operator reads at an outcome, as one string. */
function visibleText(node: OutcomeNode): string {
  return [
    node.headline,
    node.question,
    node.callResult,
    node.comment,
    ...(node.actions ?? []),
    ...(node.details ?? []),
    ...(node.phrases ?? []).flatMap((p) => [p.label, p.text]),
    ...(node.caseParams?.mandatory ?? []),
    ...(node.caseParams?.desirable ?? []),
  ]
    .filter(Boolean)
    .join('\n');
}

describe('domain: expected outcomes (kb/expected)', () => {
  it('has one file per procedure, each listing exactly its paths', () => {
    expect(expectedProblems(realKb(), expectedFiles())).to.deep.equal([]);
  });

  it('names a missing row and an extra row', () => {
    const files = structuredClone(expectedFiles());
    const comment = files.find((f) => f.procedure === 'survey-comment')!;
    const dropped = comment.rows.shift()!;
    comment.rows.push({ ...dropped, answers: { what: 'nonsense' } });
    expect(expectedProblems(realKb(), files)).to.deep.equal([
      `${comment.file}: no row for the path what=interrupted -> comment_interrupted of "survey-comment"`,
      `${comment.file}: row what=nonsense -> comment_interrupted is not a path of "survey-comment"`,
    ]);
  });

  it('names a procedure without a file', () => {
    const files = expectedFiles().filter((f) => f.procedure !== 'case-find');
    expect(expectedProblems(realKb(), files)).to.deep.equal(['kb/expected: no expected outcomes for procedure "case-find" (add kb/expected/001-case-find.yaml)']);
  });

  for (const procedureId of realKb().procedures.map((p) => p.id)) outcomeTable(procedureId);
});

/** Registers a `describe` block checking every row of the procedure's expected file and that the rows are exactly its paths. */
function outcomeTable(procedureId: string): void {
  describe(`procedure ${procedureId}`, () => {
    const found = expectedFiles().find((x) => x.procedure === procedureId);
    if (!found) throw new Error(`no kb/expected file for procedure "${procedureId}"`);

    it('the expected table (kb/expected) lists every path of the procedure, and nothing else', () => {
      const kb = realKb();
      const mine = { ...kb, procedures: kb.procedures.filter((p) => p.id === procedureId) };
      expect(expectedProblems(mine, [found])).to.deep.equal([]);
    });

    for (const row of found.rows) {
      it(rowName(row), () => {
        const proc = procedure(procedureId);
        const pos = locate(proc, rowAnswers(row), row.facts ?? {});
        expect(pos.type).to.equal('outcome');
        expect(pos.nodeId).to.equal(row.outcome);
        const node = pos.node as OutcomeNode;
        const e = row.expect;
        expect(node.kind, 'kind').to.equal(e.kind);
        expect(node.headline, 'headline').to.include(e.head);
        expect(node.callResult, 'call result').to.equal(e.callResult);
        expect(node.line, 'line').to.equal(e.line);
        if (e.line) expect(realKb().lines.find((l) => l.id === e.line)?.name, 'line name').to.equal(e.lineName);
        else expect(e.lineName, 'lineName without line in the row').to.equal(undefined);
        expect((node.phrases ?? []).map((p) => p.text), 'phrases').to.deep.equal(e.phrases ?? []);
        expect(node.question, 'faq question').to.equal(e.question);
        if (e.comment === undefined) expect(node.comment, 'comment').to.equal(undefined);
        else expect(node.comment, 'comment').to.include(e.comment);
        expect(node.caseParams?.mandatory, 'mandatory parameters').to.deep.equal(e.mandatory);
        expect(node.caseParams?.desirable, 'desirable parameters').to.deep.equal(e.desirable);
        const text = visibleText(node);
        for (const w of e.says ?? []) expect(text, `says «${w}»`).to.include(w);
      });
    }
  });
}
