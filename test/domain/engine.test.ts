import { expect } from 'chai';
import { answer, EngineError, locate } from '../../src/domain/engine.js';
import type { Procedure } from '../../src/domain/types.js';

const cite = [{ seed: '001_x.txt', quote: 'some passage' }];
const proc: Procedure = {
  id: 'p', version: 1, title: 'T', summary: 'S', seed: '001_x.txt', section: 'X', triggers: ['t'], start: 'q1',
  nodes: {
    q1: { type: 'question', text: 'Q1?', options: [{ id: 'a', label: 'A', next: 'hours' }, { id: 'b', label: 'B', next: 'o2' }] },
    hours: { type: 'check', fact: 'telesalesOpen', text: 'Телепродажи работают?', cases: { yes: 'o1', no: 'o2' } },
    o1: { type: 'outcome', kind: 'actions', headline: 'H1', actions: ['x'], citations: cite },
    o2: { type: 'outcome', kind: 'actions', headline: 'H2', actions: ['y'], citations: cite },
  },
};

describe('domain: engine', () => {
  it('starts at the start question with an empty path', () => {
    const pos = locate(proc, []);
    expect(pos.type).to.equal('question');
    expect(pos.nodeId).to.equal('q1');
    expect(pos.path).to.deep.equal([]);
  });

  it('follows an option to an outcome and records the path', () => {
    const { position } = answer(proc, [], { nodeId: 'q1', optionId: 'b' });
    expect(position).to.include({ type: 'outcome', nodeId: 'o2' });
    expect(position.path).to.deep.equal([{ nodeId: 'q1', question: 'Q1?', optionId: 'b', answer: 'B' }]);
  });

  it('decides a check node from facts without asking, and marks the step automatic', () => {
    const yes = locate(proc, [{ nodeId: 'q1', optionId: 'a' }], { telesalesOpen: 'yes' });
    const no = locate(proc, [{ nodeId: 'q1', optionId: 'a' }], { telesalesOpen: 'no' });
    expect(yes.nodeId).to.equal('o1');
    expect(no.nodeId).to.equal('o2');
    expect(yes.path[1]).to.include({ nodeId: 'hours', automatic: true, optionId: 'yes' });
  });

  it('refuses a check node whose fact is missing', () => {
    expect(() => locate(proc, [{ nodeId: 'q1', optionId: 'a' }])).to.throw(EngineError).with.property('code', 'missingFact');
  });

  describe('a check node with an `ask` question', () => {
    const asking: Procedure = {
      ...proc,
      nodes: { ...proc.nodes, hours: { type: 'check', fact: 'telesalesOpen', text: 'Телепродажи работают?', cases: { yes: 'o1', no: 'o2' }, ask: { text: 'Работают сейчас?', options: [{ id: 'yes', label: 'Да' }, { id: 'no', label: 'Нет' }] } } },
    };
    const a = { nodeId: 'q1', optionId: 'a' };

    it('asks it when the fact is unknown, its options leading where the cases do', () => {
      const pos = locate(asking, [a]);
      expect(pos).to.include({ type: 'question', nodeId: 'hours' });
      expect(pos.type === 'question' && pos.node.options.map((o) => [o.id, o.label, o.next])).to.deep.equal([['yes', 'Да', 'o1'], ['no', 'Нет', 'o2']]);
      const { position } = answer(asking, [a], { nodeId: 'hours', optionId: 'no' });
      expect(position.nodeId).to.equal('o2');
      expect(position.path[1]).to.deep.equal({ nodeId: 'hours', question: 'Работают сейчас?', optionId: 'no', answer: 'Нет' });
    });

    it('decides from the fact when it is known, and the operator’s answer there overrides it', () => {
      expect(locate(asking, [a], { telesalesOpen: 'yes' }).nodeId).to.equal('o1');
      expect(locate(asking, [a, { nodeId: 'hours', optionId: 'no' }], { telesalesOpen: 'yes' }).nodeId).to.equal('o2');
    });

    it('refuses an answer that is no case of the check', () => {
      expect(() => locate(asking, [a, { nodeId: 'hours', optionId: 'maybe' }])).to.throw(EngineError).with.property('code', 'unknownOption');
    });
  });

  it('refuses an answer to a question that is not the current one (a stale click)', () => {
    expect(() => locate(proc, [{ nodeId: 'hours', optionId: 'yes' }])).to.throw(EngineError).with.property('code', 'notCurrent');
  });

  it('refuses an option the question does not have', () => {
    expect(() => locate(proc, [{ nodeId: 'q1', optionId: 'zzz' }])).to.throw(EngineError).with.property('code', 'unknownOption');
  });

  it('refuses answers after the outcome is reached', () => {
    expect(() => locate(proc, [{ nodeId: 'q1', optionId: 'b' }, { nodeId: 'o2', optionId: 'x' }])).to.throw(EngineError).with.property('code', 'notCurrent');
  });

  it('refuses a node id inherited from Object.prototype', () => {
    const bad = { ...proc, start: 'constructor' };
    expect(() => locate(bad, [])).to.throw(EngineError).with.property('code', 'unknownNode');
  });

  it('walks a looping procedure without hanging (kb:lint rejects such loops)', () => {
    const loop: Procedure = { ...proc, nodes: { ...proc.nodes, q1: { type: 'question', text: 'Q1?', options: [{ id: 'a', label: 'A', next: 'q1' }, { id: 'b', label: 'B', next: 'o2' }] } } };
    const answers = Array.from({ length: 3 }, () => ({ nodeId: 'q1', optionId: 'a' }));
    expect(locate(loop, answers).nodeId).to.equal('q1');
  });
});
