import { expect } from 'chai';
import { NotYourDecisionError, UnknownDecisionError, type DecisionLog, type DecisionRecord, type FeedbackEvent, type Person, type ReviewEvent } from '../../src/domain/decisions.js';
import type { OutcomeKind } from '../../src/domain/types.js';
import { zonedDayBounds } from '../../src/domain/dates.js';
import type { UnansweredEvent } from '../../src/domain/unanswered.js';

/**
 * What every DecisionLog store must do, written once and run against each (memory, JSON Lines,
 * PostgreSQL). MemoryDecisionLog is the reference: the other stores must answer the same.
 */

export interface LogUnderTest {
  log: DecisionLog;
  /** Closes the log and opens the same store again (persistent stores only). */
  reopen?: () => Promise<DecisionLog>;
  /** Removes what the store left behind (files, a database). */
  cleanup?: () => Promise<void>;
}

const lead: Person = { id: 'lead-1', name: 'Руководитель Группы' };
const alice: Person = { id: 'u-alice', name: 'Алиса Операторова', aadObjectId: 'aad-alice' };
const bob: Person = { id: 'u-bob', name: 'Боб Операторов' };

/** A realistic decision record; `n` picks the id and a time on 2026-03-10 (n minutes after 09:00). */
export function sampleDecision(n: number, over: Partial<DecisionRecord> = {}): DecisionRecord {
  const at = new Date(Date.UTC(2026, 2, 10, 9, n)).toISOString();
  return {
    id: `dec-${String(n).padStart(4, '0')}`,
    at,
    operator: alice,
    conversationId: `conv-${n % 3}`,
    procedureId: 'case-repeat-inquiry',
    procedureVersion: 3,
    procedureTitle: 'Повторное обращение по кейсу',
    kbVersion: 'kb-5f3a9c',
    path: [
      { nodeId: 'state', question: 'В каком состоянии кейс клиента?', optionId: 'open', answer: 'Open' },
      { nodeId: 'overdue', question: 'Сроки решения истекли?', optionId: 'yes', answer: 'Да', automatic: false },
    ],
    outcome: { nodeId: 'repeat', kind: 'phrase', headline: 'Скажите клиенту стандартную фразу и внесите в комментарий CASE слово «Повтор»' },
    citations: [{ seed: '001_30f17cc54f05e2fd.txt', quote: 'Ожидайте, пожалуйста уведомления в течение суток' }],
    ...over,
  };
}

const feedback = (decisionId: string, at: string, verdict: FeedbackEvent['verdict'], by: Person = alice, comment?: string): FeedbackEvent => ({
  decisionId,
  at,
  by,
  verdict,
  ...(comment ? { comment } : {}),
});
const review = (decisionId: string, at: string, note = 'Проверено'): ReviewEvent => ({ decisionId, at, by: lead, note });

const all = { offset: 0, limit: 1000 };
const ids = (page: { items: { id: string }[] }) => page.items.map((v) => v.id);

/**
 * Registers the contract as a mocha suite; `open` gives a fresh, empty store for each test.
 * Persistent stores must give `reopen` too.
 */
export function decisionLogContract(name: string, open: () => Promise<LogUnderTest>, options: { persistent?: boolean } = {}): void {
  describe(`DecisionLog contract: ${name}`, () => {
    let subject: LogUnderTest;
    let log: DecisionLog;

    beforeEach(async () => {
      subject = await open();
      log = subject.log;
    });
    afterEach(async () => {
      await log.close();
      await subject.cleanup?.();
    });

    it('keeps the first of two appends with the same id (a repeated turn), and lists it once', async () => {
      const d = sampleDecision(2);
      await log.append(d);
      await log.append({ ...d, at: new Date(Date.UTC(2026, 2, 10, 10, 0)).toISOString() });
      await Promise.all([log.append(sampleDecision(3)), log.append(sampleDecision(3))]);
      expect((await log.get(d.id))!.at).to.equal(d.at);
      expect(ids(await log.query({}, all))).to.deep.equal(['dec-0003', 'dec-0002']);
      if (subject.reopen) {
        log = await subject.reopen();
        await log.append(d);
        expect(ids(await log.query({}, all))).to.deep.equal(['dec-0003', 'dec-0002']);
      }
    });

    it('appends a decision and gives it back whole, with no events yet', async () => {
      const d = sampleDecision(1, { formValues: { caseNumber: 'CAS-123' } });
      await log.append(d);
      const view = await log.get(d.id);
      expect(view).to.deep.equal({ ...d, feedback: [], reviews: [], awaitingReview: false, verdict: null });
      expect(await log.get('no-such-decision')).to.equal(undefined);
    });

    it('refuses a second decision with the same id', async () => {
      await log.append(sampleDecision(1));
      let error: unknown;
      await log.append(sampleDecision(1, { procedureId: 'other' })).catch((e) => (error = e));
      expect(error).to.be.instanceOf(Error);
      expect((await log.get('dec-0001'))!.procedureId).to.equal('case-repeat-inquiry');
      expect((await log.query({}, all)).total).to.equal(1);
    });

    it('refuses feedback, reviews and form values for a decision it does not have', async () => {
      for (const add of [
        () => log.addFeedback(feedback('ghost', '2026-03-10T10:00:00.000Z', 'wrong')),
        () => log.addReview(review('ghost', '2026-03-10T10:00:00.000Z')),
        () => log.addFormValues({ decisionId: 'ghost', at: '2026-03-10T10:00:00.000Z', by: alice, formId: 'case', values: { a: 'b' } }),
      ]) {
        let error: unknown;
        await add().catch((e) => (error = e));
        expect(error).to.be.instanceOf(UnknownDecisionError);
        expect((error as UnknownDecisionError).decisionId).to.equal('ghost');
      }
    });

    it('keeps reviews in the order they were added, and one feedback per person: a later one replaces theirs in place', async () => {
      await log.append(sampleDecision(1));
      const first = feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'helpful', alice);
      const fromLead = feedback('dec-0001', '2026-03-10T10:05:00.000Z', 'wrong', bob, 'Не та линия');
      const changed = feedback('dec-0001', '2026-03-10T10:06:00.000Z', 'wrong', alice, 'Передумала');
      expect(await log.addFeedback(first)).to.equal('recorded');
      expect(await log.addFeedback(fromLead, { byTeamLead: true })).to.equal('recorded');
      expect(await log.addFeedback(changed)).to.equal('changed');
      expect(await log.addFeedback({ ...changed, at: '2026-03-10T10:07:00.000Z' })).to.equal('unchanged');
      await log.addReview(review('dec-0001', '2026-03-10T11:00:00.000Z', 'Первый разбор'));
      await log.addReview(review('dec-0001', '2026-03-10T10:30:00.000Z', 'Второй разбор'));
      const view = (await log.get('dec-0001'))!;
      expect(view.feedback).to.deep.equal([changed, fromLead]);
      expect(view.reviews.map((r) => r.note)).to.deep.equal(['Первый разбор', 'Второй разбор']);
    });

    it('refuses feedback and form values from another operator, and takes a team lead’s feedback', async () => {
      await log.append(sampleDecision(1));
      for (const add of [
        () => log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong', bob)),
        () => log.addFormValues({ decisionId: 'dec-0001', at: '2026-03-10T10:00:00.000Z', by: bob, formId: 'case', values: { caseNumber: 'CAS-666' } }),
      ]) {
        let error: unknown;
        await add().catch((e) => (error = e));
        expect(error).to.be.instanceOf(NotYourDecisionError);
      }
      let view = (await log.get('dec-0001'))!;
      expect([view.feedback, view.formValues]).to.deep.equal([[], undefined]);
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong', lead), { byTeamLead: true });
      view = (await log.get('dec-0001'))!;
      expect(view.feedback.map((f) => f.by.id)).to.deep.equal([lead.id]);
    });

    it('stores typed text safely: NUL and lone surrogates dropped, cut by code points, never inside an emoji', async () => {
      await log.append(sampleDecision(1));
      const emoji = '😀'.repeat(1001);
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong', { ...alice, name: 'Алиса\u0000\uD800' }, emoji));
      await log.addReview(review('dec-0001', '2026-03-10T11:00:00.000Z', `a\u0000b\uDC00c\uD83D${'я'.repeat(2000)}`));
      await log.addFormValues({ decisionId: 'dec-0001', at: '2026-03-10T10:00:00.000Z', by: alice, formId: 'case', values: { caseNumber: 'CAS\u0000-1\uD800' } });
      const view = (await log.get('dec-0001'))!;
      expect(view.feedback[0].comment).to.equal('😀'.repeat(1000));
      expect(view.feedback[0].by.name).to.equal('Алиса');
      expect(view.reviews[0].note).to.equal(`abc${'я'.repeat(997)}`);
      expect(view.formValues).to.deep.equal({ caseNumber: 'CAS-1' });
    });

    it('flags a decision as awaiting review after «wrong» until a later review', async () => {
      await log.append(sampleDecision(1));
      const awaiting = async () => (await log.get('dec-0001'))!.awaitingReview;
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'helpful'));
      expect(await awaiting()).to.equal(false);
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:01:00.000Z', 'wrong'));
      expect(await awaiting()).to.equal(true);
      // Only a review at or after the latest «wrong» clears the flag.
      await log.addReview(review('dec-0001', '2026-03-10T10:00:30.000Z'));
      expect(await awaiting()).to.equal(true);
      await log.addReview(review('dec-0001', '2026-03-10T10:01:00.000Z'));
      expect(await awaiting()).to.equal(false);
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:03:00.000Z', 'wrong', bob), { byTeamLead: true });
      expect(await awaiting()).to.equal(true);
      // The only «wrong» changed to «helpful»: nothing left to review.
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:04:00.000Z', 'helpful', bob), { byTeamLead: true });
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:04:00.000Z', 'helpful', alice));
      expect(await awaiting()).to.equal(false);
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:05:00.000Z', 'wrong', alice));
      expect(ids(await log.query({ awaitingReview: true }, all))).to.deep.equal(['dec-0001']);
    });

    it('says whether an append was new or a repeat of the same decision', async () => {
      const d = sampleDecision(1);
      expect(await log.append(d)).to.equal('appended');
      expect(await log.append(d)).to.equal('repeated');
      const [a, b] = await Promise.all([log.append(sampleDecision(2)), log.append(sampleDecision(2))]);
      expect([a, b].sort()).to.deep.equal(['appended', 'repeated']);
    });

    it('marks a decision undelivered until a delivery, whatever the order, and filters by it; the marks survive a reopen', async () => {
      for (let n = 1; n <= 3; n++) await log.append(sampleDecision(n));
      const mark = (decisionId: string, delivery: 'undelivered' | 'delivered', minute: number) =>
        log.markDelivery({ decisionId, at: `2026-03-10T10:${String(minute).padStart(2, '0')}:00.000Z`, delivery, ...(delivery === 'undelivered' ? { reason: 'turn refused:\nstate\u0000 not saved' } : {}) });
      await mark('dec-0001', 'undelivered', 0);
      await mark('dec-0002', 'undelivered', 1);
      await mark('dec-0002', 'delivered', 2);
      // A delivery written before the failed attempt's mark (two instances, one click) still wins.
      await mark('dec-0003', 'delivered', 3);
      await mark('dec-0003', 'undelivered', 4);
      const check = async (l: DecisionLog) => {
        expect((await l.get('dec-0001'))!.undelivered).to.equal(true);
        expect((await l.get('dec-0002'))!.undelivered).to.equal(undefined);
        expect((await l.get('dec-0003'))!.undelivered).to.equal(undefined);
        expect(ids(await l.query({ undelivered: true }, all))).to.deep.equal(['dec-0001']);
        expect(ids(await l.query({ undelivered: false }, all))).to.deep.equal(['dec-0003', 'dec-0002']);
        expect((await l.query({}, all)).items.find((v) => v.id === 'dec-0001')!.undelivered).to.equal(true);
      };
      await check(log);
      if (subject.reopen) {
        log = await subject.reopen();
        await check(log);
      }
      // The mark goes away once a repeat delivers the card.
      await mark('dec-0001', 'delivered', 5);
      expect((await log.get('dec-0001'))!.undelivered).to.equal(undefined);
      expect((await log.query({ undelivered: true }, all)).total).to.equal(0);
      let error: unknown;
      await mark('ghost', 'undelivered', 6).catch((e) => (error = e));
      expect(error).to.be.instanceOf(UnknownDecisionError);
    });

    it('keeps how each procedure was chosen, and filters by it; a decision logged before it was recorded has none and matches no way', async () => {
      await log.append(sampleDecision(1, { foundBy: 'secondOpinion' }));
      await log.append(sampleDecision(2));
      await log.append(sampleDecision(3, { foundBy: 'tap' }));
      await log.append(sampleDecision(4, { foundBy: 'secondOpinion' }));
      const check = async (l: DecisionLog) => {
        expect((await l.get('dec-0001'))!.foundBy).to.equal('secondOpinion');
        expect(await l.get('dec-0002')).to.not.have.property('foundBy');
        expect((await l.query({}, all)).items.map((v) => v.foundBy ?? '-')).to.deep.equal(['secondOpinion', 'tap', '-', 'secondOpinion']);
        expect(ids(await l.query({ foundBy: 'secondOpinion' }, all))).to.deep.equal(['dec-0004', 'dec-0001']);
        expect(ids(await l.query({ foundBy: 'tap', procedureId: 'case-repeat-inquiry' }, all))).to.deep.equal(['dec-0003']);
        expect((await l.query({ foundBy: 'rules' }, all)).total).to.equal(0);
      };
      await check(log);
      if (subject.reopen) {
        log = await subject.reopen();
        await check(log);
      }
    });

    it('shows the newest form values in place of the record’s own', async () => {
      await log.append(sampleDecision(1, { formValues: { caseNumber: 'from-record' } }));
      await log.append(sampleDecision(2));
      await log.addFormValues({ decisionId: 'dec-0001', at: '2026-03-10T10:00:00.000Z', by: alice, formId: 'case', values: { caseNumber: 'CAS-1' } });
      await log.addFormValues({ decisionId: 'dec-0001', at: '2026-03-10T10:01:00.000Z', by: alice, formId: 'case', values: { caseNumber: 'CAS-2', phone: '+7 900 000-00-00' } });
      expect((await log.get('dec-0001'))!.formValues).to.deep.equal({ caseNumber: 'CAS-2', phone: '+7 900 000-00-00' });
      expect((await log.get('dec-0002'))!.formValues).to.equal(undefined);
      const page = await log.query({}, all);
      expect(page.items.find((v) => v.id === 'dec-0001')!.formValues).to.deep.equal({ caseNumber: 'CAS-2', phone: '+7 900 000-00-00' });
    });

    it('lists newest first with offset, limit and the total of all matches', async () => {
      for (let n = 1; n <= 7; n++) await log.append(sampleDecision(n));
      expect(ids(await log.query({}, all))).to.deep.equal(['dec-0007', 'dec-0006', 'dec-0005', 'dec-0004', 'dec-0003', 'dec-0002', 'dec-0001']);
      const page = await log.query({}, { offset: 2, limit: 3 });
      expect(page.total).to.equal(7);
      expect(ids(page)).to.deep.equal(['dec-0005', 'dec-0004', 'dec-0003']);
      const past = await log.query({}, { offset: 10, limit: 3 });
      expect(past).to.deep.equal({ total: 7, items: [] });
      expect((await log.query({}, { offset: 0, limit: 0 })).total).to.equal(7);
    });

    it('filters by operator (id or AAD object id), procedure, kind and awaiting review', async () => {
      await log.append(sampleDecision(1));
      await log.append(sampleDecision(2, { operator: bob, procedureId: 'call-termination' }));
      await log.append(sampleDecision(3, { outcome: { nodeId: 'x', kind: 'transfer' as OutcomeKind, headline: 'Переключите' } }));
      await log.append(sampleDecision(4, { operator: bob, outcome: { nodeId: 'y', kind: 'transfer' as OutcomeKind, headline: 'Переключите' } }));
      await log.addFeedback(feedback('dec-0004', '2026-03-10T10:00:00.000Z', 'wrong', bob));
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'helpful'));

      expect(ids(await log.query({ operatorId: 'u-alice' }, all))).to.deep.equal(['dec-0003', 'dec-0001']);
      expect(ids(await log.query({ operatorId: 'aad-alice' }, all))).to.deep.equal(['dec-0003', 'dec-0001']);
      expect(ids(await log.query({ operatorId: 'u-bob' }, all))).to.deep.equal(['dec-0004', 'dec-0002']);
      expect(ids(await log.query({ operatorId: 'nobody' }, all))).to.deep.equal([]);
      expect(ids(await log.query({ procedureId: 'call-termination' }, all))).to.deep.equal(['dec-0002']);
      expect(ids(await log.query({ kind: 'transfer' }, all))).to.deep.equal(['dec-0004', 'dec-0003']);
      expect(ids(await log.query({ awaitingReview: true }, all))).to.deep.equal(['dec-0004']);
      expect(ids(await log.query({ awaitingReview: false }, all))).to.deep.equal(['dec-0003', 'dec-0002', 'dec-0001']);
      const combined = await log.query({ operatorId: 'u-bob', kind: 'transfer', awaitingReview: true }, all);
      expect(combined.total).to.equal(1);
      expect(combined.items[0]).to.deep.include({ id: 'dec-0004', awaitingReview: true });
      expect(combined.items[0].feedback).to.have.length(1);
      // Empty values are no filter at all.
      expect((await log.query({ operatorId: '', procedureId: '' }, all)).total).to.equal(4);
    });

    it('filters by time: inclusive bounds; a whole day of the configured zone is its first and last millisecond', async () => {
      // Moscow's 2026-03-10 runs from 2026-03-09T21:00Z to 2026-03-10T20:59:59.999Z.
      const times = ['2026-03-09T20:59:59.999Z', '2026-03-09T21:00:00.000Z', '2026-03-10T12:00:00.000Z', '2026-03-10T20:59:59.999Z', '2026-03-10T21:00:00.000Z'];
      for (const [i, at] of times.entries()) await log.append(sampleDecision(i + 1, { at }));
      const day = zonedDayBounds('2026-03-10', 'Europe/Moscow');
      expect(ids(await log.query({ from: day.start, to: day.end }, all))).to.deep.equal(['dec-0004', 'dec-0003', 'dec-0002']);
      expect(ids(await log.query({ from: '2026-03-10T12:00:00.000Z' }, all))).to.deep.equal(['dec-0005', 'dec-0004', 'dec-0003']);
      expect(ids(await log.query({ to: '2026-03-10T12:00:00.000Z' }, all))).to.deep.equal(['dec-0003', 'dec-0002', 'dec-0001']);
      expect((await log.query({ from: '2026-03-12T00:00:00.000Z' }, all)).total).to.equal(0);
    });

    it('filters by part of the operator’s name or the procedure’s title (any case, ё = е), by verdict and by review', async () => {
      await log.append(sampleDecision(1));
      await log.append(sampleDecision(2, { operator: { id: 'u-fedya', name: 'Фёдор Ёлкин' }, procedureId: 'call-termination', procedureTitle: 'Завершение звонка' }));
      await log.append(sampleDecision(3, { operator: bob }));
      await log.append(sampleDecision(4));
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong'));
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:01:00.000Z', 'helpful', bob), { byTeamLead: true });
      await log.addFeedback(feedback('dec-0002', '2026-03-10T10:00:00.000Z', 'wrong', { id: 'u-fedya', name: 'Фёдор Ёлкин' }));
      // Changed from «wrong» to «helpful»: only the current verdict counts.
      await log.addFeedback(feedback('dec-0003', '2026-03-10T10:00:00.000Z', 'wrong', bob));
      await log.addFeedback(feedback('dec-0003', '2026-03-10T10:05:00.000Z', 'helpful', bob));
      await log.addReview(review('dec-0002', '2026-03-10T11:00:00.000Z'));

      expect(ids(await log.query({ operator: 'федор елкин' }, all))).to.deep.equal(['dec-0002']);
      expect(ids(await log.query({ operator: 'ОПЕРАТОР' }, all))).to.deep.equal(['dec-0004', 'dec-0003', 'dec-0001']);
      expect(ids(await log.query({ operator: 'aad-alice' }, all))).to.deep.equal(['dec-0004', 'dec-0001']);
      expect(ids(await log.query({ operator: 'u-bob' }, all))).to.deep.equal(['dec-0003']);
      expect(ids(await log.query({ procedure: 'завершение' }, all))).to.deep.equal(['dec-0002']);
      expect(ids(await log.query({ procedure: 'case-repeat-inquiry' }, all))).to.deep.equal(['dec-0004', 'dec-0003', 'dec-0001']);
      expect(ids(await log.query({ procedure: 'нет такой' }, all))).to.deep.equal([]);
      expect(ids(await log.query({ verdict: 'wrong' }, all))).to.deep.equal(['dec-0002', 'dec-0001']);
      expect(ids(await log.query({ verdict: 'helpful' }, all))).to.deep.equal(['dec-0003', 'dec-0001']);
      expect(ids(await log.query({ verdict: 'none' }, all))).to.deep.equal(['dec-0004']);
      expect(ids(await log.query({ reviewed: true }, all))).to.deep.equal(['dec-0002']);
      expect(ids(await log.query({ reviewed: false, verdict: 'wrong' }, all))).to.deep.equal(['dec-0001']);
      expect((await log.query({ verdict: 'wrong' }, all)).items.map((v) => v.verdict)).to.deep.equal(['wrong', 'mixed']);
      expect((await log.get('dec-0003'))!.verdict).to.equal('helpful');
      expect((await log.get('dec-0004'))!.verdict).to.equal(null);
    });

    it('counts a period’s operators and procedures for pickers, the newest name of an id winning', async () => {
      await log.append(sampleDecision(1, { operator: { ...alice, name: 'Алиса Старая' } }));
      await log.append(sampleDecision(2));
      await log.append(sampleDecision(3, { operator: bob, procedureId: 'call-termination', procedureTitle: 'Завершение звонка' }));
      await log.append(sampleDecision(4, { at: '2026-03-12T09:00:00.000Z' }));
      expect(await log.facets({ to: '2026-03-11T00:00:00.000Z' })).to.deep.equal({
        operators: [
          { id: alice.id, name: alice.name, count: 2 },
          { id: bob.id, name: bob.name, count: 1 },
        ],
        procedures: [
          { id: 'case-repeat-inquiry', title: 'Повторное обращение по кейсу', count: 2 },
          { id: 'call-termination', title: 'Завершение звонка', count: 1 },
        ],
      });
      expect((await log.facets({ from: '2026-03-10T09:03:00.000Z', to: '2026-03-10T09:03:00.000Z' })).operators).to.deep.equal([{ id: bob.id, name: bob.name, count: 1 }]);
      expect((await log.facets({})).operators[0]).to.deep.equal({ id: alice.id, name: alice.name, count: 3 });
    });

    it('records unanswered questions once per id, text made storable, and gives a period’s back oldest first', async () => {
      const u = (n: number, over: Partial<UnansweredEvent> = {}): UnansweredEvent => ({
        id: `u-${n}`,
        at: new Date(Date.UTC(2026, 2, 10, 9, n)).toISOString(),
        operator: alice,
        conversationId: 'conv-1',
        reason: 'noMatch',
        text: 'клиент орёт матом',
        ...over,
      });
      await log.addUnanswered(u(1));
      await Promise.all([log.addUnanswered(u(2, { reason: 'cancelled', text: undefined, procedureId: 'case-repeat-inquiry', nodeId: 'overdue', path: [{ nodeId: 'state', optionId: 'open' }] })), log.addUnanswered(u(2, { text: 'повтор' }))]);
      await log.addUnanswered(u(3, { reason: 'nothingFits', text: 'a\u0000b\uD800' + 'я'.repeat(400) }));
      await log.addUnanswered(u(1, { text: 'второй раз тот же ход' }));
      const got = await log.unanswered({});
      expect(got.map((e) => e.id)).to.deep.equal(['u-1', 'u-2', 'u-3']);
      expect(got[0]).to.deep.equal(u(1));
      expect(got[1].reason === 'cancelled' || got[1].text === 'повтор').to.equal(true);
      expect(got[2].text).to.equal('ab' + 'я'.repeat(298));
      expect((await log.unanswered({ from: '2026-03-10T09:02:00.000Z', to: '2026-03-10T09:02:59.999Z' })).map((e) => e.id)).to.deep.equal(['u-2']);
      // Decisions are untouched by them.
      expect((await log.query({}, all)).total).to.equal(0);
    });

    it('lists a period’s not-covered and flagged-wrong decisions for the gap report, with the current wrong verdicts', async () => {
      await log.append(sampleDecision(1, { outcome: { nodeId: 'nc', kind: 'notCovered', headline: 'Процедура не описывает' } }));
      await log.append(sampleDecision(2));
      await log.append(sampleDecision(3));
      await log.append(sampleDecision(4));
      await log.addFeedback(feedback('dec-0002', '2026-03-10T10:00:00.000Z', 'wrong', alice, 'не та фраза'));
      await log.addFeedback(feedback('dec-0003', '2026-03-10T10:00:00.000Z', 'wrong', bob), { byTeamLead: true });
      await log.addFeedback(feedback('dec-0003', '2026-03-10T10:01:00.000Z', 'helpful', bob), { byTeamLead: true });
      const gaps = await log.gapDecisions({});
      expect(gaps.map((g) => [g.id, g.kind, g.headline, g.wrong.map((w) => `${w.by.id}:${w.comment ?? ''}`)])).to.deep.equal([
        ['dec-0001', 'notCovered', 'Процедура не описывает', []],
        ['dec-0002', 'phrase', sampleDecision(2).outcome.headline, ['u-alice:не та фраза']],
      ]);
      expect(gaps[1]).to.deep.include({ operator: { id: alice.id, name: alice.name }, procedureTitle: 'Повторное обращение по кейсу', at: sampleDecision(2).at });
      expect((await log.gapDecisions({ from: '2026-03-10T09:02:00.000Z' })).map((g) => g.id)).to.deep.equal(['dec-0002']);
    });

    it('counts decisions by day of the zone, procedure and outcome, and one procedure’s paths with its unanswered places', async () => {
      await log.append(sampleDecision(1, { at: '2026-03-09T20:59:00.000Z' }));
      await log.append(sampleDecision(2, { at: '2026-03-09T21:00:00.000Z' }));
      await log.append(sampleDecision(3, { at: '2026-03-10T12:00:00.000Z', outcome: { nodeId: 'other', kind: 'transfer', headline: 'Переключите' }, path: [{ nodeId: 'state', question: 'В каком состоянии?', optionId: 'closed', answer: 'Closed' }] }));
      await log.append(sampleDecision(4, { procedureId: 'call-termination', procedureTitle: 'Завершение звонка' }));
      await log.addUnanswered({ id: 'u-1', at: '2026-03-10T09:30:00.000Z', operator: alice, conversationId: 'c', reason: 'cancelled', procedureId: 'case-repeat-inquiry', nodeId: 'overdue', path: [{ nodeId: 'state', optionId: 'open' }] });
      await log.addUnanswered({ id: 'u-2', at: '2026-03-10T09:31:00.000Z', operator: alice, conversationId: 'c', reason: 'noMatch', text: 'что-то' });
      const counts = (await log.decisionCounts({}, 'Europe/Moscow')).map((c) => `${c.date} ${c.procedureId}/${c.nodeId} ${c.kind} «${c.procedureTitle}» ${c.count}`).sort();
      expect(counts).to.deep.equal([
        '2026-03-09 case-repeat-inquiry/repeat phrase «Повторное обращение по кейсу» 1',
        '2026-03-10 call-termination/repeat phrase «Завершение звонка» 1',
        '2026-03-10 case-repeat-inquiry/other transfer «Повторное обращение по кейсу» 1',
        '2026-03-10 case-repeat-inquiry/repeat phrase «Повторное обращение по кейсу» 1',
      ]);
      expect((await log.decisionCounts({ from: '2026-03-10T00:00:00.000Z' }, 'UTC')).reduce((n, c) => n + c.count, 0)).to.equal(2);
      const paths = await log.pathCounts('case-repeat-inquiry', {});
      expect(paths.decisions.map((d) => `${d.path} → ${d.nodeId} ${d.count}`).sort()).to.deep.equal(['state=closed → other 1', 'state=open,overdue=yes → repeat 2']);
      expect(paths.unanswered).to.deep.equal([{ reason: 'cancelled', nodeId: 'overdue', path: 'state=open', count: 1 }]);
      expect((await log.pathCounts('case-repeat-inquiry', { to: '2026-03-09T23:00:00.000Z' })).decisions.map((d) => d.count)).to.deep.equal([2]);
    });

    it('gives the gap report’s lists as copies or frozen: changing one changes nothing in the log', async () => {
      await log.append(sampleDecision(1, { outcome: { nodeId: 'nc', kind: 'notCovered', headline: 'Процедура не описывает' } }));
      await log.addFeedback(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong', alice, 'не то'));
      await log.addUnanswered({ id: 'u-1', at: '2026-03-10T09:30:00.000Z', operator: alice, conversationId: 'c', reason: 'cancelled', procedureId: 'case-repeat-inquiry', nodeId: 'overdue', path: [{ nodeId: 'state', optionId: 'open' }] });
      const [gapsBefore, unansweredBefore] = [await log.gapDecisions({}), await log.unanswered({})].map((list) => structuredClone(list));
      const tryTo = (change: () => void) => {
        try {
          change();
        } catch {
          // A frozen object refuses the change: as good as a copy.
        }
      };
      const [gap] = await log.gapDecisions({});
      tryTo(() => (gap.operator.name = 'другой'));
      tryTo(() => (gap.wrong[0].comment = 'другое'));
      tryTo(() => gap.wrong.push(gap.wrong[0]));
      const [u] = await log.unanswered({});
      tryTo(() => (u.operator.name = 'другой'));
      tryTo(() => u.path!.push({ nodeId: 'x', optionId: 'y' }));
      tryTo(() => (u.path![0].optionId = 'closed'));
      expect(await log.gapDecisions({})).to.deep.equal(gapsBefore);
      expect(await log.unanswered({})).to.deep.equal(unansweredBefore);
    });

    it('gives copies: changing a returned view changes nothing in the log', async () => {
      await log.append(sampleDecision(1));
      const view = (await log.get('dec-0001'))!;
      view.path.push({ nodeId: 'x', question: 'x', optionId: 'x', answer: 'x' });
      view.feedback.push(feedback('dec-0001', '2026-03-10T10:00:00.000Z', 'wrong'));
      const again = (await log.get('dec-0001'))!;
      expect(again.path).to.have.length(2);
      expect(again.feedback).to.deep.equal([]);
    });

    it('keeps one feedback per person under 20 concurrent clicks', async () => {
      await log.append(sampleDecision(1));
      const events = Array.from({ length: 20 }, (_, i) => feedback('dec-0001', `2026-03-10T10:00:${String(i).padStart(2, '0')}.000Z`, i % 2 ? 'wrong' : 'helpful', i % 3 ? alice : bob));
      const outcomes = await Promise.all(events.map((e) => log.addFeedback(e, { byTeamLead: e.by === bob })));
      const view = (await log.get('dec-0001'))!;
      expect(view.feedback.map((f) => f.by.id).sort()).to.deep.equal([alice.id, bob.id]);
      for (const f of view.feedback) expect(events).to.deep.include(f);
      expect(outcomes.filter((o) => o === 'recorded')).to.have.length(2);
      // Twenty identical clicks: one event.
      await log.append(sampleDecision(2));
      await Promise.all(Array.from({ length: 20 }, () => log.addFeedback(feedback('dec-0002', '2026-03-10T10:00:00.000Z', 'helpful'))));
      expect((await log.get('dec-0002'))!.feedback).to.have.length(1);
    });

    if (options.persistent) {
      it('keeps everything across a reopen', async () => {
        if (!subject.reopen) throw new Error('a persistent store under test must give reopen()');
        for (let n = 1; n <= 3; n++) await log.append(sampleDecision(n));
        await log.addFeedback(feedback('dec-0002', '2026-03-10T10:00:00.000Z', 'wrong', bob, 'Ошибка в пути'), { byTeamLead: true });
        await log.addFeedback(feedback('dec-0002', '2026-03-10T10:01:00.000Z', 'wrong', alice, 'Первый отзыв'));
        await log.addFeedback(feedback('dec-0002', '2026-03-10T10:02:00.000Z', 'wrong', alice, 'Исправленный отзыв'));
        await log.addReview(review('dec-0001', '2026-03-10T10:00:00.000Z'));
        await log.addFormValues({ decisionId: 'dec-0003', at: '2026-03-10T10:00:00.000Z', by: alice, formId: 'case', values: { caseNumber: 'CAS-3' } });
        await log.addUnanswered({ id: 'u-1', at: '2026-03-10T10:00:00.000Z', operator: alice, conversationId: 'c', reason: 'switched', text: 'другое', procedureId: 'case-repeat-inquiry', nodeId: 'state', path: [] });
        const before = await log.query({}, all);
        const unanswered = await log.unanswered({});
        log = await subject.reopen();
        expect(await log.query({}, all)).to.deep.equal(before);
        expect(await log.unanswered({})).to.deep.equal(unanswered);
        await log.addUnanswered({ ...unanswered[0], text: 'повтор после перезапуска' });
        expect(await log.unanswered({})).to.deep.equal(unanswered);
        expect(ids(await log.query({ awaitingReview: true }, all))).to.deep.equal(['dec-0002']);
      });
    }
  });
}
