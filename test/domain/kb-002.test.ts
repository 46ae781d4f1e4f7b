/**
 * Seed 002 (target marketing FAQ): one procedure, each option leading to the seed's question and
 * answer verbatim. The seed README speaks of eleven questions; the text holds ten.
 */
import { expect } from 'chai';
import { foldSpace } from '../../src/domain/lint.js';
import type { OutcomeNode } from '../../src/domain/types.js';
import { procedure, seeds } from '../support/kb.js';
import { outcomeTable, type Expected } from '../support/outcomeTable.js';

const SEED = '002_1429d9be2b507c89.txt';
const faq = (question: string, head: string, ...says: string[]): Expected => ({ kind: 'faq', head, question, says });

describe('kb 002: target marketing FAQ', () => {
  outcomeTable('inba-faq', [
    {
      answers: 'question=fk-low-balance',
      outcome: 'faq_fk_low_balance',
      expect: faq(
        'В случае если на номере кампания с платой за подключение или АП, а у клиента недостаточная сумма на счету, можно ли предложить начисление ФК?',
        'Да',
        'Единой Политике Предоставления Скидок Льгот',
        'ФК за INBA',
        'строчки из ССВО',
      ),
    },
    {
      answers: 'question=discount-category',
      outcome: 'faq_discount_category',
      expect: faq(
        'В какую категорию начислять скидку, если по условиям действия акции требуется возврат средств клиенту за подключение услуги или АП?',
        'корректировку на основной баланс',
        'С кидка/ Технологическая/ Акция/',
        'название акции целевого маркетинга',
      ),
    },
    {
      answers: 'question=missed-sale',
      outcome: 'faq_missed_sale',
      expect: faq(
        'Если обращается клиент, озвучивает свой вопрос и не получив ответ/получив ответ и срывается. При этом мы interaction сохранили, но не успели озвучить предложение. Это будет упущенная продажа?',
        'Да, это упущенная продажа',
        '85%, а не 100%',
      ),
    },
    { answers: 'question=before-ivr', outcome: 'faq_before_ivr', expect: faq('Делается ли предложение INBA перед переключением на IVR?', 'Да', 'Да, делается.') },
    {
      answers: 'question=other-split',
      outcome: 'faq_other_split',
      expect: faq(
        'При вопросе клиента, который требует переключения на другой сплит (ОСО и т.д.), должен ли сотрудник, первой линии делать предложение?',
        'Нет — сотрудник первой линии не должен делать предложение',
        'из отчетов удаляются',
      ),
    },
    { answers: 'question=second-line', outcome: 'faq_second_line', expect: faq('Должны ли делать предложений сотрудники второй линии?', 'Нет — сотрудники второй линии не должны делать предложения') },
    {
      answers: 'question=not-first-priority',
      outcome: 'faq_not_first_priority',
      expect: faq(
        'Если звонит клиент, по тематике обращения сотрудник понимает, что наибольшая вероятность согласия будет, если сделать предложение №2, можно сделать предложение не первого приоритета?',
        'Да',
        'Сотрудник в праве самостоятельно решить',
      ),
    },
    {
      answers: 'question=excluded-tariff',
      outcome: 'faq_excluded_tariff',
      expect: faq('Если на номере ТП/Услуга исключение, но предложение активно - каковы действия оператора?', 'Не предлагайте акцию', 'упущенной продажей это не будет', 'Пример CTN необходимо отправить по LN ответственному лицу в ЦПК'),
    },
    {
      answers: 'question=refused-then-wants',
      outcome: 'faq_refused_then_wants',
      expect: faq(
        'Если абоненту ранее было сделано предложение, и был получен отказ, но спустя небольшое время абонент его решил подключить. Как действовать в данной ситуации?',
        '«Архив предложений»',
        'поставить галочку "Да", нажать сохранить',
      ),
    },
    {
      answers: 'question=yes-then-refused',
      outcome: 'faq_yes_then_refused',
      expect: faq(
        'Если мы отметили "Да", стали подключать услугу, а клиент отказался/передумал, в режиме разговора. Наши действия? Можно ли отменить уже отмеченную продажу?',
        'Нет',
        'только с НЕТ/ПОДУМАЕТ на ДА',
        'На НЕТ ответ изменить невозможно',
      ),
    },
    { answers: 'question=other', outcome: 'faq_not_covered', expect: { kind: 'notCovered', head: 'В FAQ по INBA такого вопроса нет', says: ['10 вопросов'] } },
  ]);

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
