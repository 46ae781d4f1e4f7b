import { expect } from 'chai';
import { parseCardAction, readInput } from '../../src/dialogs/input.js';

describe('dialogs: reading a message', () => {
  it('drops the bot mention Teams puts before messages in channels and group chats', () => {
    expect(readInput({ type: 'message', text: '<at>Помощник</at> клиент матерится' })).to.deep.equal({ kind: 'text', text: 'клиент матерится' });
    expect(readInput({ type: 'message', text: '  <at>Помощник</at>   темы ' })).to.deep.equal({ kind: 'text', text: 'темы' });
  });

  it('reads a click from `value` and ignores the text a channel may send with it', () => {
    const value = { action: 'answer', procedureId: 'p', nodeId: 'q', optionId: 'o', cardId: 'abc' };
    expect(readInput({ type: 'message', text: 'Open', value })).to.deep.equal({ kind: 'action', action: value });
  });

  it('calls a value of any other shape invalid, never a half-read action', () => {
    for (const value of [{ action: 'answer', procedureId: 'p' }, { action: 'start', procedureId: '../etc' }, [1], 'start', { action: 'feedback', decisionId: 'd', verdict: 'maybe' }])
      expect(readInput({ type: 'message', value }), JSON.stringify(value)).to.deep.equal({ kind: 'invalid' });
  });

  it('reads the answer an outcome card’s «Изменить» reopens, and refuses one of another shape', () => {
    const revised = { nodeId: 'state', optionId: 'open', from: 'message', evidence: 'кейс опен' };
    expect(parseCardAction({ action: 'start', procedureId: 'p', answers: [], revised })).to.deep.equal({ action: 'start', procedureId: 'p', answers: [], revised });
    for (const bad of [{ nodeId: 'state' }, { ...revised, evidence: 'я'.repeat(501) }, { ...revised, from: 'guess' }, [revised]])
      expect(parseCardAction({ action: 'start', procedureId: 'p', answers: [], revised: bad }), JSON.stringify(bad).slice(0, 60)).to.equal(undefined);
    expect(parseCardAction({ action: 'start', procedureId: 'p', revised })).to.equal(undefined);
  });

  it('keeps a feedback comment as text and bounds it', () => {
    const action = parseCardAction({ action: 'feedback', decisionId: 'd1', verdict: 'wrong', comment: `  ${'я'.repeat(2000)} ` });
    expect(action).to.deep.include({ action: 'feedback', decisionId: 'd1', verdict: 'wrong' });
    expect((action as { comment: string }).comment).to.have.length(1000);
  });
});
