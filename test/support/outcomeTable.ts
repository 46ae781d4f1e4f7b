/**
 * Hand-written outcome tables for the real procedures: each row is written from the seed text
 * (the answers an operator gives → the outcome and what the operator must see), and the table of
 * a procedure must list exactly the paths `allPaths` finds, so a new outcome or branch without a
 * hand-written expectation fails.
 */
import { expect } from 'chai';
import { locate, type Answer } from '../../src/domain/engine.js';
import { allPaths, type ProcedurePath } from '../../src/domain/paths.js';
import type { OutcomeKind, OutcomeNode } from '../../src/domain/types.js';
import { procedure, realKb } from './kb.js';

/** What the operator must see at the outcome. Fields left out must be absent from the outcome. */
export interface Expected {
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
  mandatory?: string[];
  desirable?: string[];
  /** Key words that must occur somewhere the operator reads (headline, actions, details, comment, phrases, parameters). */
  says?: string[];
}

export interface Row {
  /** Answers as `node=option`, comma separated, in order; empty for none. */
  answers: string;
  /** Facts for check nodes (e.g. `{ telesalesOpen: 'no' }`). */
  facts?: Record<string, string>;
  outcome: string;
  expect: Expected;
}

function parseAnswers(s: string): Answer[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const [nodeId, optionId] = x.split('=');
      return { nodeId, optionId };
    });
}

function keyOf(answers: Answer[], facts: Record<string, string>, outcome: string): string {
  const f = Object.entries(facts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${answers.map((a) => `${a.nodeId}=${a.optionId}`).join(', ')} [${f}] -> ${outcome}`;
}

const pathKey = (p: ProcedurePath) => keyOf(p.answers, p.facts, p.outcome);
const rowKey = (r: Row) => keyOf(parseAnswers(r.answers), r.facts ?? {}, r.outcome);

/** Everything an operator reads at an outcome, as one string. */
export function visibleText(node: OutcomeNode): string {
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

/** Registers a `describe` block checking every row and that the rows are exactly the procedure's paths. */
export function outcomeTable(procedureId: string, rows: Row[]): void {
  describe(`procedure ${procedureId}`, () => {
    it('the hand-written table lists every path of the procedure, and nothing else', () => {
      const expected = rows.map(rowKey).sort();
      expect(new Set(expected).size, 'duplicate rows').to.equal(expected.length);
      expect(allPaths(procedure(procedureId)).map(pathKey).sort()).to.deep.equal(expected);
    });

    for (const row of rows) {
      it(`${row.answers || '(no answers)'}${row.facts ? ` ${JSON.stringify(row.facts)}` : ''} → ${row.outcome}`, () => {
        const proc = procedure(procedureId);
        const pos = locate(proc, parseAnswers(row.answers), row.facts ?? {});
        expect(pos.type).to.equal('outcome');
        expect(pos.nodeId).to.equal(row.outcome);
        const node = pos.node as OutcomeNode;
        const e = row.expect;
        expect(node.kind, 'kind').to.equal(e.kind);
        expect(node.headline, 'headline').to.include(e.head);
        expect(node.callResult, 'call result').to.equal(e.callResult);
        expect(node.line, 'line').to.equal(e.line);
        if (e.line) {
          const line = realKb().lines.find((l) => l.id === e.line);
          expect(line?.name, 'line name').to.equal(e.lineName);
        } else expect(e.lineName, 'lineName without line in the row').to.equal(undefined);
        expect((node.phrases ?? []).map((p) => p.text), 'phrases').to.deep.equal(e.phrases ?? []);
        expect(node.question, 'faq question').to.equal(e.question);
        expect(node.caseParams?.mandatory, 'mandatory parameters').to.deep.equal(e.mandatory);
        expect(node.caseParams?.desirable, 'desirable parameters').to.deep.equal(e.desirable);
        const text = visibleText(node);
        for (const w of e.says ?? []) expect(text, `says «${w}»`).to.include(w);
      });
    }
  });
}
