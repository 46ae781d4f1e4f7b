/**
 * Seed 002 (target marketing FAQ): one procedure, each option leading to the seed's question and
 * answer verbatim. The seed README speaks of eleven questions; the text holds ten.
 */
import { expect } from 'chai';
import { foldSpace } from '../../src/domain/lint.js';
import type { OutcomeNode } from '../../src/domain/types.js';
import { procedure, seeds } from '../support/kb.js';

const SEED = '002_1429d9be2b507c89.txt';

describe('kb 002: target marketing FAQ', () => {
  it('has ten FAQ answers (the seed holds ten questions, not eleven as its README says)', () => {
    const faqs = Object.values(procedure('inba-faq').nodes).filter((n): n is OutcomeNode => n.type === 'outcome' && n.kind === 'faq');
    expect(faqs).to.have.length(10);
    const seedQuestions = seeds()
      .get(SEED)!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.endsWith('?') && !l.startsWith('Понравилась'));
    expect(seedQuestions).to.have.length(10);
    expect(faqs.map((f) => f.question).sort()).to.deep.equal([...seedQuestions].sort());
  });

  it('gives every answer verbatim: each FAQ outcome has a detail that is the seed answer, word for word', () => {
    const text = foldSpace(seeds().get(SEED)!);
    for (const node of Object.values(procedure('inba-faq').nodes)) {
      if (node.type !== 'outcome' || node.kind !== 'faq') continue;
      expect(node.details, node.question).to.have.length.greaterThan(0);
      for (const d of node.details!) expect(text, d).to.include(foldSpace(d));
      // The answer is the one that follows this question in the seed (after an optional «Ответ:»).
      const q = foldSpace(node.question!);
      const after = text.slice(text.indexOf(q) + q.length).trim().replace(/^Ответ: /, '');
      expect(after.startsWith(foldSpace(node.details![0])), node.question).to.equal(true);
    }
  });
});
