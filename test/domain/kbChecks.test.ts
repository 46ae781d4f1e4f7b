import { expect } from 'chai';
import { unversionedChanges } from '../../src/domain/kbChecks.js';
import type { KnowledgeBase, Procedure } from '../../src/domain/types.js';
import { realKb } from '../support/kb.js';

/** A copy of the real knowledge base with one procedure changed. */
function changed(id: string, change: (p: Procedure) => void): KnowledgeBase {
  const kb = structuredClone(realKb());
  change(kb.procedures.find((p) => p.id === id)!);
  return kb;
}

const setQuestion = (text: string) => (p: Procedure) => {
  const node = p.nodes[p.start];
  if (node.type !== 'question') throw new Error(`${p.id} does not start with a question`);
  node.text = text;
};

describe('domain: a reload warns about procedures changed without a version bump', () => {
  it('names the procedure whose nodes changed under the same version', () => {
    expect(unversionedChanges(realKb(), changed('case-find', setQuestion('Другой вопрос?')))).to.deep.equal([
      'procedures/001-case-find.yaml: procedure "case-find" changed but its version is still 1: open dialogs go on with the new nodes; raise the version to restart them',
    ]);
  });

  it('says nothing when the version was raised, when only search phrases changed, or when nothing changed', () => {
    const bumped = changed('case-find', (p) => {
      setQuestion('Другой вопрос?')(p);
      p.version += 1;
    });
    expect(unversionedChanges(realKb(), bumped)).to.deep.equal([]);
    expect(unversionedChanges(realKb(), changed('case-find', (p) => p.triggers.push('где мои кейсы')))).to.deep.equal([]);
    expect(unversionedChanges(realKb(), structuredClone(realKb()))).to.deep.equal([]);
  });
});
