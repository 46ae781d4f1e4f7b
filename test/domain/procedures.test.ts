/**
 * Rules every procedure of the real knowledge base follows, beyond what the schema and the linter
 * check: the agreed ids exist (each procedure's outcome table is kb/expected, see expected.test.ts),
 * answers come in a few taps, "other" always ends in notCovered, and option words do not clash.
 */
import { expect } from 'chai';
import { allPaths } from '../../src/domain/paths.js';
import { foldSpace } from '../../src/domain/lint.js';
import type { OutcomeNode } from '../../src/domain/types.js';
import { procedure, realKb, seeds } from '../support/kb.js';

/** The ids other work (search tests, links) relies on, by seed. */
const AGREED: Record<string, string[]> = {
  '000': ['survey-refusal', 'survey-duplicate-result', 'survey-online-resurvey', 'survey-comment'],
  '001': ['case-send', 'case-states', 'case-repeat-inquiry', 'never-promise', 'call-termination', 'inaudible-caller', 'home-internet-transfer'],
  '002': ['inba-faq'],
  '003': ['key-client-topics', 'potential-corporate'],
  '004': ['client-identification', 'identification-special-rules'],
};

const outcomes = (id: string) =>
  Object.entries(procedure(id).nodes).filter((e): e is [string, OutcomeNode] => e[1].type === 'outcome');
const norm = (s: string) => s.toLocaleLowerCase('ru').replace(/ё/g, 'е').trim();

describe('domain: the real procedures', () => {
  const kb = realKb();

  it('has every agreed procedure id, each from its seed and in a file named after it', () => {
    for (const [seedNo, ids] of Object.entries(AGREED)) {
      for (const id of ids) {
        const p = procedure(id);
        expect(p.seed.startsWith(`${seedNo}_`), `${id} seed`).to.equal(true);
        expect(p.file, `${id} file`).to.equal(`${seedNo}-${id}.yaml`);
      }
    }
  });

  it('names every procedure file after its seed number and id', () => {
    for (const p of kb.procedures) expect(p.file).to.equal(`${p.seed.slice(0, 3)}-${p.id}.yaml`);
  });

  it('covers every seed', () => {
    expect([...new Set(kb.procedures.map((p) => p.seed))].sort()).to.deep.equal([...seeds().keys()].sort());
  });

  for (const p of realKb().procedures) {
    describe(p.id, () => {
      it('has 5–10 triggers, a one-line summary, and unique triggers', () => {
        expect(p.triggers.length).to.be.within(5, 10);
        expect(new Set(p.triggers.map(norm)).size).to.equal(p.triggers.length);
        expect(p.summary).not.to.include('\n');
      });

      it('reaches every outcome in at most 4 taps', () => {
        for (const path of allPaths(p)) expect(path.answers.length, path.outcome).to.be.within(0, 4);
      });

      it('ends every «other» option in a notCovered outcome that asks the team lead', () => {
        for (const node of Object.values(p.nodes)) {
          if (node.type !== 'question') continue;
          for (const o of node.options.filter((x) => x.id === 'other')) {
            const next = p.nodes[o.next];
            expect(next.type === 'outcome' && next.kind, `${o.next}`).to.equal('notCovered');
          }
        }
      });

      it('gives option labels and synonyms that do not clash within a question', () => {
        for (const [nodeId, node] of Object.entries(p.nodes)) {
          if (node.type !== 'question') continue;
          const owner = new Map<string, string>();
          for (const o of node.options) {
            for (const w of [o.label, ...(o.synonyms ?? [])].map(norm)) {
              const prev = owner.get(w);
              expect(prev === undefined || prev === o.id, `${nodeId}: «${w}» is used by options ${prev} and ${o.id}`).to.equal(true);
              owner.set(w, o.id);
            }
          }
        }
      });

      it('says, at every notCovered outcome, what the procedure does say (the card adds «ask the team lead»)', () => {
        for (const [id, node] of outcomes(p.id)) {
          if (node.kind !== 'notCovered') continue;
          expect(node.details ?? [], id).to.have.length.greaterThan(0);
          // The outcome card (cards/outcome.json) already tells the operator to ask the team lead.
          expect(node.headline, id).not.to.match(/руководител/);
        }
      });

      it('cites every outcome from its own seed at least once', () => {
        for (const [id, node] of outcomes(p.id)) {
          expect(node.citations.some((c) => c.seed === p.seed), id).to.equal(true);
        }
      });
    });
  }

  it('keeps every FAQ question verbatim from the seed', () => {
    for (const p of kb.procedures) {
      const seed = foldSpace(seeds().get(p.seed)!);
      for (const [id, node] of outcomes(p.id)) {
        if (node.kind === 'faq') expect(seed, `${p.id}/${id}`).to.include(foldSpace(node.question!));
      }
    }
  });

  it('decides telesales from the clock: every check node asks `telesalesOpen` with cases yes/no', () => {
    const checks = kb.procedures.flatMap((p) => Object.values(p.nodes).filter((n) => n.type === 'check'));
    expect(checks.length).to.be.greaterThan(0);
    for (const c of checks) {
      if (c.type !== 'check') continue;
      expect(c.fact).to.equal('telesalesOpen');
      expect(Object.keys(c.cases).sort()).to.deep.equal(['no', 'yes']);
      // Without a configured schedule the fact is unknown: the operator is asked, never a guessed hour.
      expect(c.ask?.text).to.equal('Телепродажи сейчас работают?');
    }
  });

  it('says where telesales hours come from at every telesales outcome (configuration, not the procedure)', () => {
    for (const p of kb.procedures) {
      for (const [id, node] of outcomes(p.id)) {
        if (node.line === 'telesales') expect((node.details ?? []).join(' '), `${p.id}/${id}`).to.include('в конфигурации бота');
      }
    }
  });

  it('uses every line of lines.yaml or marks it as a number, not a transfer', () => {
    const used = new Set(kb.procedures.flatMap((p) => outcomes(p.id).map(([, n]) => n.line)));
    for (const line of kb.lines) {
      if (!used.has(line.id)) expect(line.number, `${line.id} is neither used nor a number`).to.be.a('string');
    }
  });

  it('gives hours only where a seed states them', () => {
    const withHours = kb.lines.filter((l) => l.hours);
    expect(withHours.map((l) => l.id)).to.deep.equal(['beeline-business']);
    expect(withHours[0].hours).to.equal('в будние дни с 8:00 до 20:00');
    expect(kb.lines.find((l) => l.id === 'telesales')?.hours).to.equal(undefined);
  });
});
