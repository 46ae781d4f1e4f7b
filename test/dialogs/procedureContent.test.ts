/**
 * The content review's fixes, through the dialog: each walks a procedure as an operator would and
 * checks that the outcome card says what the seed says.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { buttonsOf, cardOf, headlineOf, textOf, textsOf } from '../support/cards.js';
import { operator } from '../support/operator.js';

const lastCard = (replies: Partial<Activity>[]) => cardOf(replies[replies.length - 1]);

/** Starts `procedureId` and taps each answer in turn; returns the last card. */
async function walk(procedureId: string, taps: string[], facts: Record<string, string> = {}) {
  const op = operator(procedureId, facts);
  let replies = await op.send('начать');
  for (const tap of taps) replies = await op.click(lastCard(replies), tap);
  return lastCard(replies);
}

describe('dialogs: procedure content as the seeds say it', () => {
  describe('000 survey comments give the call result too, and the refusal outcomes the comment', () => {
    const cases: [string, string][] = [
      ['Начал отвечать и прервал опрос', 'Клиент прервал анкетирование на вопросе №...., далее отказался отвечать'],
      ['Не ответил на 1 или несколько вопросов', 'Клиент частично ответил на вопросы анкетирования. Не ответил на вопрос №...'],
      ['Отказался сразу после приветствия', 'Клиент отказывается от анкетирования'],
    ];
    for (const [tap, comment] of cases) {
      it(`«${tap}»: the comment to write and the call result «Отказался разговаривать»`, async () => {
        const card = await walk('survey-comment', [tap]);
        const texts = textsOf(card);
        expect(texts).to.include('Результат звонка: «Отказался разговаривать»');
        expect(texts).to.include('Комментарий');
        expect(textOf(card)).to.include(comment);
        expect(buttonsOf(card).map((b) => b.title)).to.include('Заполнить комментарий');
      });
    }

    const refusals: [string, string[]][] = [
      ['survey-duplicate-result', ['Есть, но хотя бы одно из трёх не совпадает']],
      ['survey-duplicate-result', ['Результата в текущем месяце нет']],
      ['survey-refusal', ['Говорит, что уже проходил опрос', 'Есть, но хотя бы одно из трёх не совпадает']],
      ['survey-refusal', ['Говорит, что уже проходил опрос', 'Результата в текущем месяце нет']],
    ];
    for (const [procedureId, taps] of refusals) {
      it(`${procedureId}: ${taps.join(' → ')}: the call result and the comment template, with the seed's own example`, async () => {
        const card = await walk(procedureId, taps);
        const texts = textsOf(card);
        expect(texts).to.include('Результат звонка: «Отказался разговаривать»');
        expect(texts).to.include('«Клиент отказывается от анкетирования» + озвученные комментарии клиента');
        expect(textOf(card)).to.include('17/04 Клиент отказался от анкетирования. Со слов клиента. ".....я уже отвечал на вопросы');
        expect(buttonsOf(card).map((b) => b.title)).to.include('Заполнить комментарий');
      });
    }
  });

  describe('001 «Когда можно прервать диалог»', () => {
    it('a case the seed does not list: says the procedure is silent, not that it forbids', async () => {
      const card = await walk('call-termination', ['Другое']);
      expect(headlineOf(card)).to.equal('Процедура не описывает, можно ли прервать диалог в этом случае');
      expect(textOf(card)).to.include('ничего не запрещает').and.not.include('не разрешает');
    });

    it('reaches the same section’s inaudible-caller rule: the phrases, then the SMS', async () => {
      const phrases = await walk('call-termination', ['Клиента не слышно', 'Клиента только что перестало быть слышно']);
      expect(textsOf(phrases)).to.include('Вас не слышно, пожалуйста, повторите вопрос').and.include('Вас не слышно, пожалуйста, перейдите в зону уверенного приема сигнала');
      const sms = await walk('call-termination', ['Клиента не слышно', 'Фразы сказаны 2–3 раза']);
      expect(headlineOf(sms)).to.equal('Отправьте клиенту стандартное SMS из Инфоцентра');
      expect(textsOf(sms)).to.include('К сожалению, при звонке в ЦПК вас не было слышно, пожалуйста, перезвоните по номеру 0611');
    });
  });
});
